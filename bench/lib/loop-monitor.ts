// Preloaded into a benchmark's server process (node --import tsx --import ./bench/lib/loop-monitor.ts
// server/main.ts): measures the main thread's event-loop delay and prints it as one `LOOP {json}` line
// on stdout at each SIGUSR2, then starts a new measurement, so a benchmark can cut its run into phases.
import { monitorEventLoopDelay } from 'node:perf_hooks';

const histogram = monitorEventLoopDelay({ resolution: 5 });
histogram.enable();
process.on('SIGUSR2', () => {
  const ms = (ns: number) => Math.round(ns / 1e4) / 100;
  const stats = { max: ms(histogram.max), p99: ms(histogram.percentile(99)), mean: ms(histogram.mean) };
  process.stdout.write(`LOOP ${JSON.stringify(stats)}\n`);
  histogram.reset();
});
