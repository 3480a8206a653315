// Command-line administration: `npm run cli -- <command>`. The commands live in cli/run-cli.ts.
import { runCli } from './cli/run-cli.ts';

process.exitCode = await runCli(process.argv.slice(2), {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
});
