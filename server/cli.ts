// Command-line administration: `npm run cli -- <command>`. The runner is cli/run-cli.ts, the commands cli/commands/.
import { runCli } from './cli/run-cli.ts';

process.exitCode = await runCli(process.argv.slice(2), {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
});
