"""Test-only Spark SQL runner for databridge's databricks dialect.

Started by pkg/testenv/sparkconn (Go) from the Spark venv
(DATABRIDGE_TEST_SPARK_VENV). It opens one local Spark session with Delta
Lake as the default table format and answers one JSON request per line on
its protocol channel, one JSON response per line:

    {"op": "exec"|"query"|"schemas"|"tables"|"describe"|"ping",
     "sql": "...", "args": [...], "max_rows": N, "schema": "...", "table": "..."}
    -> {"ok": true, "columns": [{"name", "type"}], "rows": [[...]], "truncated": false,
        "affected": N}
    -> {"ok": false, "error": "..."}

Values: DECIMAL as exact text, DATE and TIMESTAMP as ISO text (the session
time zone is UTC), binary as text or hex, arrays and maps as lists and
objects.

Two ways to run:
  --fd N            requests on stdin, responses on fd N (the Go side's pipe;
                    the JVM and Spark's logging write to stdout and stderr).
                    End of stdin ends the runner, and the JVM (whose gateway
                    exits when its own stdin closes) goes with it.
  --listen H:P      one warm Spark for a whole CI run (.ci/run): each
                    loopback TCP connection gets its own session
                    (newSession) and the same protocol; the address is
                    written to --port-file when Spark is ready. Ends with its
                    parent process.

Python here is test machinery only, never product code.
"""

import argparse
import base64
import datetime
import decimal
import json
import os
import re
import shutil
import sys
import time
import traceback

TIMING = os.environ.get("DATABRIDGE_SPARK_TIMING") == "1"


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--fd", type=int, default=-1, help="file descriptor for responses to stdin's requests")
    p.add_argument("--listen", help="serve loopback TCP connections at HOST:PORT instead (PORT 0: any free one)")
    p.add_argument("--port-file", help="with --listen: where HOST:PORT is written once Spark is ready")
    p.add_argument("--warehouse", required=True, help="spark.sql.warehouse.dir (removed at exit unless --keep)")
    p.add_argument("--ivy", required=True, help="spark.jars.ivy: where the Delta jars were fetched")
    p.add_argument("--offline", action="store_true", help="resolve the Delta jars from --ivy only")
    p.add_argument("--fetch-only", action="store_true", help="fetch the Delta jars into --ivy and exit")
    p.add_argument("--hive", action="store_true", help="a persistent Hive catalog (embedded Derby) in --warehouse")
    p.add_argument("--keep", action="store_true", help="keep --warehouse at exit (a later session opens it again)")
    p.add_argument("--print-conf", action="store_true", help="print the session's settings as JSON and exit")
    return p.parse_args()


def conf(args):
    """The session's settings, also what a dbt-spark session profile is
    given (--print-conf) so that dbt's in-process Spark is this one."""
    local = os.path.join(args.warehouse, "_tmp")
    c = {
        "spark.master": "local[2]",
        "spark.app.name": "databridge-spark-test",
        "spark.driver.memory": "2g",
        "spark.sql.shuffle.partitions": "2",
        "spark.default.parallelism": "2",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.warehouse.dir": os.path.join(args.warehouse, "warehouse"),
        "spark.local.dir": local,
        # A short-lived JVM on small data: the C1 compiler alone warms up
        # fastest, and interpreted plans beat generating and compiling code
        # for a few rows. C1 alone also shrinks the JVM's default code
        # cache from 240 MB to 48 MB, which a long session (many dbt
        # models, Spark's method-handle intrinsics) fills: "Out of space
        # in CodeCache for method handle intrinsic" then fails a query at
        # random. The size is stated back to the tiered default.
        "spark.driver.extraJavaOptions":
            "-XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=240m -XX:+UseSerialGC -Dderby.system.home=" + os.path.join(args.warehouse, "derby"),
        "spark.sql.codegen.wholeStage": "false",
        "spark.jars.ivy": args.ivy,
        "spark.sql.extensions": "io.delta.sql.DeltaSparkSessionExtension",
        "spark.sql.catalog.spark_catalog": "org.apache.spark.sql.delta.catalog.DeltaCatalog",
        # Delta is the default table format, as on Databricks.
        "spark.sql.sources.default": "delta",
        "spark.sql.legacy.createHiveTableByDefault": "false",
        # Column names with spaces or ,;{}()= need Delta column mapping (on
        # Databricks too): tables are created with it, as a Databricks
        # workspace that sets this default would.
        "spark.databricks.delta.properties.defaults.columnMapping.mode": "name",
        "spark.databricks.delta.snapshotPartitions": "1",
        "spark.databricks.delta.stats.collect": "false",
        "spark.databricks.delta.writeChecksumFile.enabled": "false",
        "spark.sql.adaptive.enabled": "false",
    }
    if args.hive:
        # A persistent catalog (Hive, embedded Derby) in the warehouse
        # folder: what dbt-spark's session method opens (it enables Hive
        # support itself). One JVM at a time can open it.
        c["spark.sql.catalogImplementation"] = "hive"
        c["spark.hadoop.javax.jdo.option.ConnectionURL"] = (
            "jdbc:derby:;databaseName=%s;create=true" % os.path.join(args.warehouse, "metastore_db"))
    jars_dir = os.path.join(args.ivy, "jars")
    jars = sorted(os.path.join(jars_dir, j) for j in os.listdir(jars_dir) if j.endswith(".jar")) if os.path.isdir(jars_dir) else []
    if args.offline or (jars and not args.fetch_only):
        # The Delta jars were fetched once into the ivy folder (.ci/run,
        # --fetch-only): put them on the class path directly, so the
        # session starts without Ivy and without the network.
        if not jars:
            raise RuntimeError("no Delta jars in %s: run the runner with --fetch-only once (online)" % jars_dir)
        c["spark.jars"] = ",".join(jars)
    return c


def session(args):
    from delta import configure_spark_with_delta_pip
    from pyspark.sql import SparkSession

    os.makedirs(os.path.join(args.warehouse, "_tmp"), exist_ok=True)
    c = conf(args)
    b = SparkSession.builder
    if args.hive:
        b = b.enableHiveSupport()
    for k, v in c.items():
        b = b.config(k, v)
    if "spark.jars" in c:
        spark = b.getOrCreate()
    else:
        spark = configure_spark_with_delta_pip(b).getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def value(v):
    if v is None or isinstance(v, (bool, int, str)):
        return v
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            return str(v)
        return v
    if isinstance(v, decimal.Decimal):
        return format(v, "f")
    if isinstance(v, datetime.datetime):
        return v.isoformat()
    if isinstance(v, datetime.date):
        return v.isoformat()
    if isinstance(v, (bytes, bytearray)):
        try:
            return bytes(v).decode("utf-8")
        except UnicodeDecodeError:
            return bytes(v).hex()
    if isinstance(v, dict):
        return {str(k): value(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        if hasattr(v, "asDict"):
            return {k: value(x) for k, x in v.asDict().items()}
        return [value(x) for x in v]
    return str(v)


def param(a):
    # JSON brings text, numbers, booleans and null; {"decimal": "1.23"}
    # is an exact number.
    if isinstance(a, dict) and "decimal" in a:
        return decimal.Decimal(a["decimal"])
    if isinstance(a, dict) and "bytes" in a:
        return base64.b64decode(a["bytes"])
    return a


def literal(v):
    """A bound value as a Spark SQL literal (string literals use backslash
    escapes, Spark's default)."""
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return "CAST('%r' AS DOUBLE)" % v
    if isinstance(v, decimal.Decimal):
        return "%sBD" % format(v, "f")
    if isinstance(v, (bytes, bytearray)):
        return "X'%s'" % bytes(v).hex()
    s = str(v).replace("\\", "\\\\").replace("'", "\\'")
    return "'%s'" % s


def inline(sql, args):
    """Replaces each ? parameter marker outside literals, quoted names and
    comments with its value's literal."""
    out, i, n, k = [], 0, len(sql), 0
    while i < n:
        c = sql[i]
        if c in "'\"`":
            j = i + 1
            while j < n:
                if sql[j] == "\\" and c != "`":
                    j += 2
                    continue
                if sql[j] == c:
                    if j + 1 < n and sql[j + 1] == c:
                        j += 2
                        continue
                    break
                j += 1
            out.append(sql[i:j + 1])
            i = j + 1
        elif sql.startswith("--", i):
            j = sql.find("\n", i)
            j = n if j < 0 else j
            out.append(sql[i:j])
            i = j
        elif sql.startswith("/*", i):
            j = sql.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(sql[i:j])
            i = j
        elif c == "?":
            if k >= len(args):
                raise ValueError("more parameter markers than values (%d)" % len(args))
            out.append(literal(args[k]))
            k += 1
            i += 1
        else:
            out.append(c)
            i += 1
    if k != len(args):
        raise ValueError("%d values for %d parameter markers" % (len(args), k))
    return "".join(out)


PRIMARY_KEY = re.compile(r",\s*(CONSTRAINT\s+\S+\s+)?PRIMARY\s+KEY\s*\([^)]*\)(\s+(NOT\s+ENFORCED|RELY|NORELY))*", re.I)

# What the runner changed to run a statement on open-source Spark, by
# name (the Go side counts them; docs/connectors.md lists them).
EMULATED = {"inline-parameters": 0, "strip-primary-key": 0}


INSERT = re.compile(r"^\s*INSERT\b", re.I)


def run_sql(spark, sql, args):
    if args and INSERT.match(sql):
        # Known to fail below (and its analysis of a few thousand
        # markers is slow): bind at once.
        EMULATED["inline-parameters"] += 1
        return spark.sql(inline(sql, args))
    try:
        return spark.sql(sql, args=args) if args else spark.sql(sql)
    except Exception as e:
        msg = str(e)
        # Spark 4.2 leaves markers inside INSERT ... VALUES unbound
        # (UNBOUND_SQL_PARAMETER) where Databricks binds them: bind those
        # statements here, each value as a literal.
        if args and "UNBOUND_SQL_PARAMETER" in msg:
            EMULATED["inline-parameters"] += 1
            return run_sql(spark, inline(sql, args), [])
        # Informational PRIMARY KEY constraints need Unity Catalog; the
        # session catalog refuses them. They are never enforced on
        # Databricks either, so the table is the same without.
        if "does not support table constraint" in msg and PRIMARY_KEY.search(sql):
            EMULATED["strip-primary-key"] += 1
            return run_sql(spark, PRIMARY_KEY.sub("", sql), args)
        raise


def frame(df, max_rows):
    cols = [{"name": f.name, "type": f.dataType.simpleString().upper()} for f in df.schema.fields]
    if max_rows is not None and max_rows >= 0:
        got = df.limit(max_rows + 1).collect()
        truncated = len(got) > max_rows
        got = got[:max_rows]
    else:
        got, truncated = df.collect(), False
    return {"ok": True, "columns": cols, "rows": [[value(x) for x in r] for r in got], "truncated": truncated}


def affected(df):
    # DML on Delta answers with num_affected_rows (and friends); DDL with
    # no columns.
    names = [f.name for f in df.schema.fields]
    if "num_affected_rows" in names:
        r = df.collect()
        if r:
            return int(r[0]["num_affected_rows"] or 0)
    return -1


def handle(spark, req):
    op = req.get("op")
    if op == "ping":
        spark.sql("SELECT 1").collect()
        return {"ok": True, "emulated": EMULATED}
    if op in ("exec", "query"):
        # The connection's default schema: unqualified names resolve there.
        use = req.get("schema") or "default"
        if spark.catalog.currentDatabase() != use:
            spark.catalog.setCurrentDatabase(use)
        args = [param(a) for a in (req.get("args") or [])]
        df = run_sql(spark, req["sql"], args)
        if op == "query":
            return frame(df, req.get("max_rows"))
        return {"ok": True, "affected": affected(df)}
    if op == "schemas":
        return {"ok": True, "rows": [[d.name] for d in spark.catalog.listDatabases()]}
    if op == "tables":
        schema = req.get("schema") or spark.catalog.currentDatabase()
        out = []
        for t in spark.catalog.listTables(schema):
            if t.isTemporary:
                continue
            kind = "view" if (t.tableType or "").upper() == "VIEW" else "table"
            out.append([schema, t.name, kind, t.description or ""])
        return {"ok": True, "rows": out}
    if op == "describe":
        schema = req.get("schema") or spark.catalog.currentDatabase()
        t = spark.catalog.getTable(schema + "." + req["table"]) if schema else spark.catalog.getTable(req["table"])
        kind = "view" if (t.tableType or "").upper() == "VIEW" else "table"
        cols = [[c.name, c.dataType.upper(), c.nullable, c.description or ""]
                for c in spark.catalog.listColumns(t.name, schema)]
        return {"ok": True, "rows": cols, "columns": [{"name": t.name, "type": kind}]}
    return {"ok": False, "error": "unknown op %r" % op}


def serve(spark, lines, write, during=None):
    """Answers requests read from lines until they end (during: a context
    manager each request runs in)."""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        t0 = time.time()
        req = {}
        try:
            req = json.loads(line)
            if during is None:
                resp = handle(spark, req)
            else:
                with during():
                    resp = handle(spark, req)
        except Exception as e:
            msg = str(e).strip() or traceback.format_exc(limit=3)
            # Spark's errors carry the JVM stack after the message.
            msg = msg.split("\n\tat ", 1)[0].split("\nJVM stacktrace:", 1)[0]
            resp = {"ok": False, "error": "%s: %s" % (type(e).__name__, msg)}
        if TIMING:
            sys.stderr.write("spark-runner %.2fs %s %s\n" % (time.time() - t0, req.get("op"), " ".join(str(req.get("sql", "")).split())[:100]))
        write(json.dumps(resp) + "\n")


def listen(spark, address, port_file):
    """Serves each loopback TCP connection with its own Spark session
    (spark.newSession(): its own current schema and settings, the same
    catalog and JVM), so every test process of a CI run shares one warm
    Spark. Ends when the parent process (.ci/run) goes."""
    import contextlib
    import select
    import socket
    import socketserver
    import threading

    class Handler(socketserver.StreamRequestHandler):
        def handle(self):
            sess = spark.newSession()
            lock = threading.Lock()

            def write(s):
                with lock:
                    self.wfile.write(s.encode("utf-8"))
                    self.wfile.flush()

            write(json.dumps({"ok": True, "version": spark.version}) + "\n")
            serve(sess, (l.decode("utf-8") for l in self.rfile), write, self.cancel_on_hangup)

        @contextlib.contextmanager
        def cancel_on_hangup(self):
            # A client that goes away mid-statement (a test process
            # killed with -9) takes its Spark jobs with it: the
            # statement's jobs carry the connection's job group (PySpark
            # pins each Python thread to a JVM thread), and a watcher
            # cancels the group when the socket reads end-of-file. One
            # request at a time: nothing else arrives while it runs.
            group = "databridge-conn-%d" % id(self)
            sc = spark.sparkContext
            sc.setJobGroup(group, "databridge test connection", interruptOnCancel=True)
            sock = self.request
            done = threading.Event()

            def watch():
                while not done.wait(0.2):
                    ready, _, _ = select.select([sock], [], [], 0)
                    if not ready:
                        continue
                    try:
                        data = sock.recv(1, socket.MSG_PEEK)
                    except OSError:
                        data = b""
                    if data != b"":
                        return
                    # Hung up. The statement may still be planning, its
                    # jobs not yet submitted: cancel the group until the
                    # request ends, not once.
                    while True:
                        sc.cancelJobGroup(group)
                        if done.wait(0.5):
                            return

            w = threading.Thread(target=watch, daemon=True)
            w.start()
            try:
                yield
            finally:
                done.set()

    class Server(socketserver.ThreadingTCPServer):
        daemon_threads = True
        allow_reuse_address = True

    host, _, port = address.rpartition(":")
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("the Spark runner listens on loopback only, not %r" % host)
    srv = Server((host, int(port)), Handler)
    parent = os.getppid()

    def watch():
        import time
        while os.getppid() == parent:
            time.sleep(1)
        srv.shutdown()

    threading.Thread(target=watch, daemon=True).start()
    tmp = port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%s:%d\n" % (host, srv.server_address[1]))
    os.rename(tmp, port_file)
    srv.serve_forever()


def main():
    args = parse_args()
    args.ivy = os.path.abspath(args.ivy)
    args.warehouse = os.path.abspath(args.warehouse)
    if args.print_conf:
        print(json.dumps(conf(args), indent=1, sort_keys=True))
        return 0
    # Spark binds its driver to loopback only.
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    out = os.fdopen(args.fd, "w", buffering=1) if args.fd >= 0 else None
    # The JVM inherits fd 1: keep it off the protocol.
    os.dup2(2, 1)
    os.makedirs(args.warehouse, exist_ok=True)

    def write(s):
        if out is not None:
            out.write(s)

    try:
        spark = session(args)
    except Exception as e:  # the Go side reports it and skips or fails
        write(json.dumps({"ok": False, "error": "spark did not start: %s" % e}) + "\n")
        return 1
    write(json.dumps({"ok": True, "version": spark.version}) + "\n")
    try:
        if args.listen:
            listen(spark, args.listen, args.port_file)
        elif not args.fetch_only:
            serve(spark, sys.stdin, write)
    finally:
        try:
            spark.stop()
        finally:
            if not args.keep:
                shutil.rmtree(args.warehouse, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
