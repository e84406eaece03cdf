# Prints bench/peer_search.sh's tables from its table.txt (one tagged JSON
# line per index build or query run): builds, latencies, and tim's ratios to
# the best peer.
  # A string or number member of the one-line JSON object on this line.
  function str(k) {
    return match($0, "\"" k "\":\"[^\"]*\"") ? substr($0, RSTART + length(k) + 4, RLENGTH - length(k) - 5) : ""
  }
  function num(k) {
    return match($0, "\"" k "\":[-0-9.eE]+") ? substr($0, RSTART + length(k) + 3, RLENGTH - length(k) - 3) : ""
  }
  $1 == "index" {
    index_rows[++ni] = sprintf("%-20s | %8d | %8.1f | %8.1f | %8.1f | %9.1f", str("engine"), num("docs"),
                               num("seconds"), num("merge_seconds"), num("index_bytes") / 1e6,
                               num("stored_bytes") / 1e6)
  }
  # Per query set and mode: tim, and the fastest peer. On the queries typed
  # without accents only peers that fold accents count: Xapian keeps them, so
  # its "hits" there are other words (its top hit agrees with the accented
  # query's in 120 of 2,000), not an answer to compare with.
  $1 == "search" {
    k = $2 SUBSEP str("mode")
    if (str("engine") == "tim") {
      tim_mean[k] = num("mean_ms"); tim_p99[k] = num("p99_ms")
    } else if (!($2 ~ /nodiac/ && str("engine") ~ /^xapian/) &&
               (!(k in best_mean) || num("mean_ms") < best_mean[k])) {
      best_mean[k] = num("mean_ms"); best_p99[k] = num("p99_ms"); best_name[k] = str("engine")
    }
  }
  $1 == "search" {
    search_rows[++ns] = sprintf("%-20s | %-4s | %-16s | %8.3f | %8.3f | %8.3f | %d / %d", str("engine"),
                                str("mode"), $2, num("mean_ms"), num("p50_ms"), num("p99_ms"),
                                num("hits_found"), num("queries"))
  }
  END {
    printf "%-20s | %8s | %8s | %8s | %8s | %9s\n", "engine", "docs", "build s", "merge s", "index MB",
           "stored MB"
    for (i = 1; i <= ni; i++) print index_rows[i]
    print ""
    printf "%-20s | %-4s | %-16s | %8s | %8s | %8s | %s\n", "engine", "mode", "queries", "mean ms",
           "p50 ms", "p99 ms", "queries with hits"
    for (i = 1; i <= ns; i++) print search_rows[i]
    print ""
    printf "%-16s | %-4s | %9s | %-20s | %9s | %7s | %9s | %9s | %9s\n", "queries", "mode",
           "tim mean", "best peer", "its mean", "ratio", "tim p99", "its p99", "p99 ratio"
    for (k in tim_mean) {
      split(k, part, SUBSEP)
      if (!(k in best_mean)) {
        printf "%-16s | %-4s | %9.3f | %-20s |\n", part[1], part[2], tim_mean[k], "(no peer)"
        continue
      }
      printf "%-16s | %-4s | %9.3f | %-20s | %9.3f | %6.2fx | %9.3f | %9.3f | %8.2fx\n", part[1],
             part[2], tim_mean[k], best_name[k], best_mean[k], tim_mean[k] / best_mean[k],
             tim_p99[k], best_p99[k], tim_p99[k] / best_p99[k]
    }
  }
