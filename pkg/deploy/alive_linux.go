package deploy

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"time"
)

// processStart reads when pid started and whether it is a zombie from
// /proc (clock ticks of 1/100 s since boot, the kernel's USER_HZ).
func processStart(pid int) (started time.Time, zombie, ok bool) {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return time.Time{}, false, false
	}
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return time.Time{}, false, false
	}
	// After "pid (comm)": state is field 3, starttime field 22.
	f := strings.Fields(string(stat[i+1:]))
	if len(f) < 20 {
		return time.Time{}, false, false
	}
	ticks, err := strconv.ParseInt(f[19], 10, 64)
	if err != nil {
		return time.Time{}, false, false
	}
	boot, ok := bootTime()
	if !ok {
		return time.Time{}, f[0] == "Z", false
	}
	return boot.Add(time.Duration(ticks) * 10 * time.Millisecond), f[0] == "Z", true
}

func bootTime() (time.Time, bool) {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return time.Time{}, false
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "btime "); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			if err != nil {
				return time.Time{}, false
			}
			return time.Unix(n, 0), true
		}
	}
	return time.Time{}, false
}
