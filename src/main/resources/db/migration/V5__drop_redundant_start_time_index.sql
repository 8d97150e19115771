-- V3's execution_traces_stats_idx leads with start_time and serves every query that V2's plain
-- start_time index served: at ten million spans every trace question was as fast or faster
-- without it (bench/query-bench.sh), and each insert maintained one b-tree more for nothing.
DROP INDEX execution_traces_start_time_idx;
