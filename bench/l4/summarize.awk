# summarize.awk: turns run.sh's raw.tsv (round, test, target, value, proxy CPU-s) into markdown.
# Medians with min-max over rounds; ratios are taken per round (same round = same machine state)
# and then summarized the same way. Written for mawk (Debian's awk): no asort, so a small sort.
# Variables: targets, variants (space-separated), rounds, duration (s per window), idle_n.

function sortn(a, n,    i, j, t) {
    for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
}
# median (min-max) of the values listed in key k, formatted with fmt
function stat(k, fmt,    n, i, a, parts, med) {
    if (!(k in list)) return "–"
    n = split(list[k], parts, " ")
    for (i = 1; i <= n; i++) a[i] = parts[i] + 0
    sortn(a, n)
    med = (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    if (n == 1) return sprintf(fmt, med)
    return sprintf(fmt " (" fmt "–" fmt ")", med, a[1], a[n])
}
function median(k,    n, i, a, parts) {
    n = split(list[k], parts, " ")
    for (i = 1; i <= n; i++) a[i] = parts[i] + 0
    sortn(a, n)
    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function add(k, v) { if (v == "NaN" || v == "") return; list[k] = (k in list) ? list[k] " " v : v }

{
    round = $1; test = $2; target = $3; value = $4; cpu = $5
    add(test SUBSEP target, value)
    val[round, test, target] = value
    if (cpu != "" && target != "direct") {
        add("cpu" test SUBSEP target, cpu)
        if (cpu > 0 && value != "NaN") add("eff" test SUBSEP target, value * duration / cpu)
    }
}

END {
    nt = split(targets, T, " ")
    nv = split(variants, V, " ")
    header = "| measure |"; rule = "|---|"
    for (i = 1; i <= nt; i++) { header = header " " T[i] " |"; rule = rule "---:|" }
    print header; print rule
    row("iperf3 -P 1, Gbit/s", "iperf_P1", "", "%.2f")
    row("iperf3 -P 8, Gbit/s", "iperf_P8", "", "%.2f")
    row("new connections/s", "conn", "", "%.0f")
    row("proxy CPU-s per " duration " s window, -P 1", "iperf_P1", "cpu", "%.2f")
    row("proxy CPU-s per window, -P 8", "iperf_P8", "cpu", "%.2f")
    row("proxy CPU-s per window, connections", "conn", "cpu", "%.2f")
    row("Gbit per proxy CPU-second, -P 1", "iperf_P1", "eff", "%.1f")
    row("Gbit per proxy CPU-second, -P 8", "iperf_P8", "eff", "%.1f")
    row("connections per proxy CPU-second", "conn", "eff", "%.0f")
    row("KiB of proxy RSS per idle proxied connection (" idle_n " idle)", "idle", "", "%.2f")

    print ""
    print "Ratios to HAProxy, per round, median (min–max); targets: throughput ≥ 1.0, connections ≥ 0.8, idle ≤ 8 KiB:"
    print ""
    print "| Portico variant | -P 1 | -P 8 | conn/s | Gbit/CPU-s -P 1 | Gbit/CPU-s -P 8 | conn/CPU-s | idle KiB | targets |"
    print "|---|---:|---:|---:|---:|---:|---:|---:|---|"
    for (i = 1; i <= nv; i++) {
        v = V[i]; miss = ""
        line = "| " v
        for (j = 1; j <= 3; j++) {
            test = (j == 1) ? "iperf_P1" : (j == 2) ? "iperf_P8" : "conn"
            k = "ratio" test SUBSEP v
            for (r = 1; r <= rounds; r++)
                if (((r, test, v) in val) && ((r, test, "haproxy") in val) && val[r, test, "haproxy"] > 0 && val[r, test, v] != "NaN")
                    add(k, val[r, test, v] / val[r, test, "haproxy"])
            line = line " | " stat(k, "%.2f")
            need = (test == "conn") ? 0.8 : 1.0
            if (!(k in list) || median(k) < need) miss = miss " " test
        }
        for (j = 1; j <= 3; j++) {
            test = (j == 1) ? "iperf_P1" : (j == 2) ? "iperf_P8" : "conn"
            a = "eff" test SUBSEP v; b = "eff" test SUBSEP "haproxy"
            line = line " | " (((a in list) && (b in list) && median(b) > 0) ? sprintf("%.2f", median(a) / median(b)) : "–")
        }
        k = "idle" SUBSEP v
        line = line " | " stat(k, "%.2f")
        if (!(k in list) || median(k) > 8) miss = miss " idle"
        print line " | " (miss == "" ? "all met" : "missed:" miss) " |"
    }
}

function row(label, test, kind, fmt,    i, line) {
    line = "| " label
    for (i = 1; i <= nt; i++) line = line " | " stat(kind test SUBSEP T[i], fmt)
    print line " |"
}
