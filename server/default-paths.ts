// Where the server and the CLI keep their files unless told otherwise, relative to the working directory.
// config.ts (CS_DB_PATH, CS_RELEASES_DIR), main.ts (--demo), app.ts and the CLI (--db, --releases-dir) read them here.

/** The SQLite database file (CS_DB_PATH, the CLI's --db). */
export const DEFAULT_DB_PATH = 'data/culture-studio.sqlite';
/** Where release folders and archives are written (CS_RELEASES_DIR, the CLI's --releases-dir). */
export const DEFAULT_RELEASES_DIR = 'data/releases';
/** The demo (`--demo`) keeps its database apart from a real one, unless CS_DB_PATH is set. */
export const DEMO_DB_PATH = 'data/demo.sqlite';
/** The demo's release files sit next to its database, unless CS_RELEASES_DIR is set. */
export const DEMO_RELEASES_DIR = 'data/demo-releases';
