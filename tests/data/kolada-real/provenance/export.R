# export.R v2.rda|v3.rda OUTDIR: rKolada's saved API extracts as CSV, one file per object.
args <- commandArgs(TRUE)
e <- new.env(); load(args[1], envir = e)
out <- args[2]; dir.create(out, showWarnings = FALSE)
w <- function(df, name) write.csv(df, file.path(out, name), row.names = FALSE, na = "NA",
                                   fileEncoding = "UTF-8")
for (n in c("kpi_df", "munic", "n00945", "grp_data", "kld_data")) w(as.data.frame(e[[n]]), paste0(n, ".csv"))
g <- rbind(e$munic_g, e$munic_grp_filter)
rows <- do.call(rbind, lapply(seq_len(nrow(g)), function(i) {
  m <- g$members[[i]]
  data.frame(id = g$id[i], title = g$title[i], pos = seq_len(nrow(m)), member_id = m$member_id,
             member_title = m$member_title)
}))
w(rows, "munic_g.csv")
