package forecast

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/databridge/databridge/pkg/testenv"
)

// The side-by-side evaluation with statsforecast: the same generated
// series, the same rolling-origin windows (3 windows of 12 months, origins
// at n-36, n-24 and n-12), MASE of every 12-month forecast scaled by the
// training data's mean absolute seasonal difference, averaged over windows
// and then over series.
const (
	peerHorizon = 12
	peerWindows = 3
	peerSeed    = 15
)

type peerSeries struct {
	ID      string    `json:"id"`
	Y       []float64 `json:"y"`
	Origins []int     `json:"origins"`
}

type oracleOut struct {
	Seconds      float64 `json:"seconds"`
	CPUSeconds   float64 `json:"cpu_seconds"`
	SecondsNaive float64 `json:"seconds_naive"`
	Version      string  `json:"version"`
	Series       []struct {
		ID     string      `json:"id"`
		ETS    [][]float64 `json:"ets"`
		SNaive [][]float64 `json:"snaive"`
	} `json:"series"`
}

// peerScores are mean MASEs over series (all, and the seasonal ones).
type peerScores struct{ all, seasonal float64 }

type peerReport struct {
	series, seasonal               int
	auto, ets, snaive, sfETS, sfSN peerScores
	autoSMAPE, sfETSSMAPE          float64
	oursAuto, oursETS, sf, sfNaive time.Duration
	cpuAuto, cpuETS, sfCPU         time.Duration
	chosen                         map[Method]int
	version                        string
}

func startOracle(t *testing.T, in []peerSeries) (wait func() oracleOut) {
	t.Helper()
	py := testenv.VenvTool(t, "python")
	if err := exec.Command(py, "-c", "import statsforecast").Run(); err != nil {
		testenv.Missing(t, "statsforecast is not installed in the oracle venv "+os.Getenv(testenv.OracleVenv))
	}
	body, err := json.Marshal(map[string]any{"season_length": 12, "h": peerHorizon, "series": in})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, filepath.Join("testdata", "autoets_oracle.py"))
	cmd.Stdin = bytes.NewReader(body)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("statsforecast oracle: %v", err)
	}
	// It runs while our side computes; wait collects it.
	return func() oracleOut {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("statsforecast oracle: %v\n%s", err, testenv.Tail(stderr.String(), 3000))
		}
		var res oracleOut
		if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
			t.Fatalf("statsforecast oracle output: %v", err)
		}
		if len(res.Series) != len(in) {
			t.Fatalf("oracle returned %d series, sent %d", len(res.Series), len(in))
		}
		return res
	}
}

func runPeer(t *testing.T, count int) peerReport {
	t.Helper()
	gen := Generate(peerSeed, count, GenOptions{})
	in := make([]peerSeries, len(gen))
	for i, s := range gen {
		in[i] = peerSeries{ID: s.ID, Y: s.Y, Origins: origins(len(s.Y), peerHorizon, peerWindows, 24)}
		if len(in[i].Origins) != peerWindows {
			t.Fatalf("%s: %d observations give %d windows", s.ID, len(s.Y), len(in[i].Origins))
		}
	}
	wait := startOracle(t, in)
	type ours struct{ auto, ets, sn [][]float64 }
	res := make([]ours, len(gen))
	var rep peerReport
	rep.chosen = map[Method]int{}
	for i, s := range gen {
		for _, o := range in[i].Origins {
			train := s.Y[:o]
			opt := Options{Horizon: peerHorizon, SeasonLength: 12, SeasonStart: s.SeasonStart, Levels: []float64{80, 95}}
			start, cpu := time.Now(), cpuTime()
			ra, err := Forecast(train, opt)
			rep.oursAuto += time.Since(start)
			rep.cpuAuto += cpuTime() - cpu
			if err != nil {
				t.Fatal(err)
			}
			rep.chosen[ra.Method]++
			// Ours ets alone, without its backtest: one AutoETS fit and
			// forecast (with intervals), like statsforecast's call.
			opt.Method, opt.SkipBacktest = ETS, true
			start, cpu = time.Now(), cpuTime()
			re, err := Forecast(train, opt)
			rep.oursETS += time.Since(start)
			rep.cpuETS += cpuTime() - cpu
			if err != nil {
				t.Fatal(err)
			}
			opt.Method = SeasonalNaive
			rs, err := Forecast(train, opt)
			if err != nil {
				t.Fatal(err)
			}
			res[i].auto = append(res[i].auto, ra.Point)
			res[i].ets = append(res[i].ets, re.Point)
			res[i].sn = append(res[i].sn, rs.Point)
		}
	}
	oracle := wait()
	rep.version = oracle.Version
	rep.sf = time.Duration(oracle.Seconds * float64(time.Second))
	rep.sfNaive = time.Duration(oracle.SecondsNaive * float64(time.Second))
	rep.sfCPU = time.Duration(oracle.CPUSeconds * float64(time.Second))
	add := func(sc *peerScores, v float64, seasonal bool) {
		sc.all += v
		if seasonal {
			sc.seasonal += v
		}
	}
	for i, s := range gen {
		rep.series++
		if s.Seasonal {
			rep.seasonal++
		}
		var auto, ets, sn, sfe, sfs, autoS, sfeS float64
		for w, o := range in[i].Origins {
			train, actual := s.Y[:o], s.Y[o:o+peerHorizon]
			// Our seasonal naive and statsforecast's must agree exactly:
			// the windows and data are the same.
			for j, v := range res[i].sn[w] {
				if d := v - oracle.Series[i].SNaive[w][j]; d > 1e-6 || d < -1e-6 {
					t.Fatalf("%s window %d step %d: seasonal naive %v, statsforecast %v", s.ID, w, j, v, oracle.Series[i].SNaive[w][j])
				}
			}
			auto += MASE(actual, res[i].auto[w], train, 12)
			ets += MASE(actual, res[i].ets[w], train, 12)
			sn += MASE(actual, res[i].sn[w], train, 12)
			sfe += MASE(actual, oracle.Series[i].ETS[w], train, 12)
			sfs += MASE(actual, oracle.Series[i].SNaive[w], train, 12)
			autoS += SMAPE(actual, res[i].auto[w])
			sfeS += SMAPE(actual, oracle.Series[i].ETS[w])
		}
		k := float64(len(in[i].Origins))
		add(&rep.auto, auto/k, s.Seasonal)
		add(&rep.ets, ets/k, s.Seasonal)
		add(&rep.snaive, sn/k, s.Seasonal)
		add(&rep.sfETS, sfe/k, s.Seasonal)
		add(&rep.sfSN, sfs/k, s.Seasonal)
		rep.autoSMAPE += autoS / k
		rep.sfETSSMAPE += sfeS / k
	}
	for _, sc := range []*peerScores{&rep.auto, &rep.ets, &rep.snaive, &rep.sfETS, &rep.sfSN} {
		sc.all /= float64(rep.series)
		sc.seasonal /= float64(max(rep.seasonal, 1))
	}
	rep.autoSMAPE /= float64(rep.series)
	rep.sfETSSMAPE /= float64(rep.series)
	t.Logf("%d series (%d seasonal), 3 windows × 12 months; statsforecast %s", rep.series, rep.seasonal, rep.version)
	t.Logf("mean MASE, all series:      auto %.4f  ets %.4f  seasonal naive %.4f | statsforecast AutoETS %.4f  SeasonalNaive %.4f",
		rep.auto.all, rep.ets.all, rep.snaive.all, rep.sfETS.all, rep.sfSN.all)
	t.Logf("mean MASE, seasonal series: auto %.4f  ets %.4f  seasonal naive %.4f | statsforecast AutoETS %.4f  SeasonalNaive %.4f",
		rep.auto.seasonal, rep.ets.seasonal, rep.snaive.seasonal, rep.sfETS.seasonal, rep.sfSN.seasonal)
	t.Logf("auto/AutoETS %.4f (all), %.4f (seasonal); auto vs seasonal naive on seasonal series: %.1f%% better",
		rep.auto.all/rep.sfETS.all, rep.auto.seasonal/rep.sfETS.seasonal, 100*(1-rep.auto.seasonal/rep.snaive.seasonal))
	t.Logf("mean sMAPE: auto %.3f%%, AutoETS %.3f%%", rep.autoSMAPE, rep.sfETSSMAPE)
	t.Logf("time for %d fits: ours auto %s (with its inner backtest), ours ets %s (one AutoETS fit, forecast and intervals per call), statsforecast AutoETS %s, SeasonalNaive %s",
		rep.series*peerWindows, rep.oursAuto.Round(time.Millisecond), rep.oursETS.Round(time.Millisecond), rep.sf.Round(time.Millisecond), rep.sfNaive.Round(time.Millisecond))
	t.Logf("CPU time: ours auto %s, ours ets %s, statsforecast AutoETS %s (the machine is shared: CPU time is the fairer measure)",
		rep.cpuAuto.Round(time.Millisecond), rep.cpuETS.Round(time.Millisecond), rep.sfCPU.Round(time.Millisecond))
	t.Logf("auto chose: %v", rep.chosen)
	return rep
}

// cpuTime is this process's user+system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestForecastVersusStatsforecastSample runs a small sample in normal
// tests when the oracle venv is present. Its bounds are looser than the
// goal (30 series are noisy); the full run below holds the goal.
func TestForecastVersusStatsforecastSample(t *testing.T) {
	n := 30
	if v, err := strconv.Atoi(os.Getenv("DATABRIDGE_FORECAST_SAMPLE")); err == nil && v > 0 {
		n = v
	}
	rep := runPeer(t, n)
	if r := rep.auto.all / rep.sfETS.all; r > 1.10 {
		t.Errorf("auto MASE %.4f is %.1f%% above statsforecast AutoETS %.4f (sample bound 10%%)", rep.auto.all, 100*(r-1), rep.sfETS.all)
	}
	if r := rep.auto.seasonal / rep.snaive.seasonal; r > 0.90 {
		t.Errorf("auto MASE on seasonal series %.4f is only %.1f%% better than seasonal naive %.4f (sample bound 10%%)", rep.auto.seasonal, 100*(1-r), rep.snaive.seasonal)
	}
}

// TestPeerForecastStatsforecast is the full run (make bench-peers): 1,000
// series; auto must be within 3% of AutoETS's MASE and at least 15% better
// than seasonal naive on the seasonal series.
func TestPeerForecastStatsforecast(t *testing.T) {
	if os.Getenv("DATABRIDGE_BENCH_PEERS") != "1" {
		t.Skip("peer benchmark: set DATABRIDGE_BENCH_PEERS=1 (make bench-peers)")
	}
	n := 1000
	if v, err := strconv.Atoi(os.Getenv("DATABRIDGE_FORECAST_SERIES")); err == nil && v > 0 {
		n = v
	}
	rep := runPeer(t, n)
	if r := rep.auto.all / rep.sfETS.all; r > 1.03 {
		t.Errorf("auto MASE %.4f is %.1f%% above statsforecast AutoETS %.4f (goal: within 3%%)", rep.auto.all, 100*(r-1), rep.sfETS.all)
	}
	if r := rep.auto.seasonal / rep.snaive.seasonal; r > 0.85 {
		t.Errorf("auto MASE on seasonal series %.4f is only %.1f%% better than seasonal naive %.4f (goal: 15%%)", rep.auto.seasonal, 100*(1-r), rep.snaive.seasonal)
	}
}
