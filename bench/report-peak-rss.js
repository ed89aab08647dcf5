// Preloaded into benchmarked processes: reports the process's peak resident set size on exit (stderr).
process.on('exit', () => {
  process.stderr.write(`\nPEAK_RSS_KIB=${process.resourceUsage().maxRSS}\n`);
});
