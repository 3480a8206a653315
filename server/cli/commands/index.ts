import type { CommandDefinition } from '../command.ts';
import { copyDatabaseCommands } from './copy-database.ts';
import { hubCommands } from './hub.ts';
import { importCommands } from './imports.ts';
import { maintenanceCommands } from './maintenance.ts';
import { releaseCommands } from './releases.ts';
import { scoringCommands } from './scoring.ts';
import { userCommands } from './users.ts';

/** Every command, in the order the usage lists them. */
export const commands: readonly CommandDefinition[] = [
  ...userCommands,
  ...importCommands,
  ...releaseCommands,
  ...hubCommands,
  ...scoringCommands,
  ...maintenanceCommands,
  ...copyDatabaseCommands,
];
