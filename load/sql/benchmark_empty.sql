-- All of the stored benchmark, before it is filled anew.  load/marts/marts.c.
TRUNCATE mart.benchmark_slice, mart.benchmark_slice_edit
