// npm run bench:seed -- [N] [path]: writes a database with N (default 100,000) generated items.
import { seedBenchDb } from './lib/seed-db.ts';

const n = Number(process.argv[2] ?? 100_000);
const path = process.argv[3] ?? 'bench/out/bench.sqlite';
const { db } = await seedBenchDb(path, n);
db.close();
