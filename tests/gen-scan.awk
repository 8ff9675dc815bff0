# gen-scan.awk — a whole-machine log of known truth for `leakslope scan`.
# Usage: awk -v dir=DIR [-v hours=3] [-v step=5] [-v seed=7] [-v nopid=1]
#            [-v elapsed=1] -f tests/gen-scan.awk
# (nopid: no ID Process columns; elapsed: Elapsed Time columns too)
# Writes DIR/counters.csv (PDH-CSV 4.0, local time, bias -60, every cell
# quoted) and DIR/events.csv (the project's own trace, UTC). The processes:
#   leaker     pid 100: +32 KiB per cycle of leaky.dll, cycled in bursts (a
#              varying rate, so cycles and time can be told apart); it also
#              cycles other.dll once a minute, which leaks nothing
#   decoy      pid 200: +20 MB per hour whatever it does; cycles helper.dll
#              in bursts of its own, which leaks nothing
#   restarter  pid 500, then 501 after 1.5 h: +15 MB per hour in each lifetime
#   handler    pid 400: steady memory, +120 handles per hour
#   warmer     pid 300: +40 MB of warm-up (tau 15 min), then steady
#   quiet      pid 600: steady
# plus _Total and Idle (never ranked) and a Processor column scan skips.
# awk's rand() differs between implementations: tests assert the ranking
# and verdicts, never digits.
function noise(sd) { return sd * (rand() + rand() + rand() + rand() - 2) * 1.7 }
function q(v) { return 4096 * int(v / 4096 + 0.5) }
function two(n) { return sprintf("%02d", n) }
function local(t,   h, m, s) {
  h = 9 + int(t / 3600); m = int(t % 3600 / 60); s = t % 60
  return sprintf("03/05/2026 %s:%s:%s.000", two(h), two(m), two(s))
}
function utc(t,   h, m, s) {
  h = 8 + int(t / 3600); m = int(t % 3600 / 60); s = t % 60
  return sprintf("2026-03-05T%s:%s:%s.000000Z", two(h), two(m), two(int(s)))
}
function ev(t, kind, pid, proc, mod) {
  nev++; evt[nev] = t; evline[nev] = utc(t) "," kind "," pid "," proc ".exe,C:\\Apps\\" mod
}
# Bursts: in each 10-minute block, cycles over one half of it (first half
# when `half` is 0), every 10 s in even blocks and every 25 s in odd ones.
function bursts(pid, proc, mod, half, loads, unloads,   b, t, p, n) {
  n = 0
  for (b = 0; b * 600 < span; b++) {
    p = b % 2 ? 25 : 10
    for (t = b * 600 + half * 300 + 7; t < b * 600 + half * 300 + 300 && t + 2 < span; t += p) {
      ev(t, "load", pid, proc, mod); ev(t + 2, "unload", pid, proc, mod)
      n++; loads[n] = t; unloads[n] = t + 2
    }
  }
  return n
}
function done(unloads, n, t,   k, c) { c = 0; for (k = 1; k <= n; k++) if (unloads[k] <= t) c++; return c }
BEGIN {
  if (hours == "") hours = 3
  if (step == "") step = 5
  srand(seed == "" ? 7 : seed)
  span = hours * 3600
  nl = bursts(100, "leaker", "leaky.dll", 0, ll, lu)
  for (t = 31; t + 2 < span; t += 60) ev(t, "load", 100, "leaker", "other.dll") ev(t + 2, "unload", 100, "leaker", "other.dll")
  nd = bursts(200, "decoy", "helper.dll", 1, dl, du)
  ev(1, "load", 400, "handler", "ws2_32.dll")
  # events in time order (insertion sort on the few hundred lines)
  for (i = 2; i <= nev; i++) {
    vt = evt[i]; vl = evline[i]
    for (j = i - 1; j >= 1 && evt[j] > vt; j--) { evt[j + 1] = evt[j]; evline[j + 1] = evline[j] }
    evt[j + 1] = vt; evline[j + 1] = vl
  }
  f = dir "/events.csv"
  print "time,event,pid,process,module" > f
  for (i = 1; i <= nev; i++) print evline[i] > f
  close(f)

  split("_Total Idle leaker decoy restarter handler warmer quiet", inst, " ")
  nc = split("ID Process|Private Bytes|Virtual Bytes|Working Set|Handle Count|Elapsed Time", ctr, "|")
  if (!elapsed) nc--
  out = dir "/counters.csv"
  hdr = "\"(PDH-CSV 4.0) (W. Europe Standard Time)(-60)\",\"\\\\HOST\\Processor(_Total)\\% Processor Time\""
  for (c = nopid ? 2 : 1; c <= nc; c++) for (i = 1; i <= 8; i++) hdr = hdr ",\"\\\\HOST\\Process(" inst[i] ")\\" ctr[c] "\""
  printf "%s\r\n", hdr > out
  for (t = 0; t < span; t += step) {
    h = t / 3600
    lifeh = t < 5400 ? h : (t - 5410) / 3600
    rpid = t < 5400 ? 500 : 501
    rdown = t >= 5400 && t < 5410
    pid["leaker"] = 100; pid["decoy"] = 200; pid["restarter"] = rpid; pid["handler"] = 400
    pid["warmer"] = 300; pid["quiet"] = 600; pid["_Total"] = 0; pid["Idle"] = 0
    pb["leaker"] = q(80e6 + 32768 * done(lu, nl, t) + noise(8192))
    pb["decoy"] = q(100e6 + 20e6 * h + noise(8192))
    pb["restarter"] = q(40e6 + 15e6 * lifeh + noise(8192))
    pb["handler"] = q(30e6 + noise(8192))
    pb["warmer"] = q(60e6 + 40e6 * (1 - exp(-t / 900)) + noise(8192))
    pb["quiet"] = q(25e6 + noise(8192))
    pb["Idle"] = 0
    pb["_Total"] = 0
    for (i = 3; i <= 8; i++) pb["_Total"] += pb[inst[i]]
    hc["handler"] = int(300 + 120 * h + noise(2))
    row = "\"" local(t) "\",\"" sprintf("%.3f", 20 + noise(5)) "\""
    for (c = nopid ? 2 : 1; c <= nc; c++)
      for (i = 1; i <= 8; i++) {
        n = inst[i]
        if (n == "restarter" && rdown) { row = row ",\" \""; continue }
        if (c == 1) v = pid[n]
        else if (c == 2) v = pb[n]
        else if (c == 3) v = pb[n] + 200e6
        else if (c == 4) v = int(0.7 * pb[n])
        else if (c == 5) v = n == "handler" ? hc[n] : 150 + int(noise(1))
        else v = n == "restarter" && t >= 5400 ? t - 5410 : t + 3600
        row = row ",\"" sprintf("%.0f", v) "\""
      }
    printf "%s\r\n", row > out
  }
  close(out)
}
