/**
 * `--seed-users N`: realistic users in `managed/alpha_user` and `managed/user`, so the example jobs
 * have real work: names, mail, status, sunset dates spread around now (`/sunset/date`, ISO strings),
 * and about a fifth already processed (`/sunset/task-completed` set). Deterministic for a given N and now.
 */
import { ObjectTable } from './objects';
import { Store } from './store';

const GIVEN = [
  'Ada',
  'Grace',
  'Alan',
  'Edsger',
  'Barbara',
  'Donald',
  'Frances',
  'Ken',
  'Margaret',
  'Dennis',
  'Radia',
  'John',
  'Hedy',
  'Tim',
  'Katherine',
  'Linus',
  'Sophie',
  'Guido',
  'Anita',
  'Niklaus',
];
const FAMILY = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Dijkstra',
  'Liskov',
  'Knuth',
  'Allen',
  'Thompson',
  'Hamilton',
  'Ritchie',
  'Perlman',
  'McCarthy',
  'Lamarr',
  'Berners-Lee',
  'Johnson',
  'Torvalds',
  'Wilson',
  'van Rossum',
  'Borg',
  'Wirth',
];
const DOMAINS = ['example.com', 'example.org', 'example.net'];

/** A small seeded PRNG (mulberry32) so a seed is the same on every machine. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;

export interface SeededUser {
  userName: string;
  givenName: string;
  sn: string;
  mail: string;
  accountStatus: 'active' | 'inactive';
  sunset: { date: string; 'task-started'?: string; 'task-completed'?: string };
}

/** The i-th seeded user: sunset dates within ±30 days of now; ~20% of the past ones already processed. */
export function seededUser(i: number, now: number, next: () => number): SeededUser {
  const givenName = GIVEN[i % GIVEN.length]!;
  const sn = FAMILY[Math.floor(i / GIVEN.length) % FAMILY.length]!;
  const userName = `${givenName.toLowerCase()}.${sn.toLowerCase().replace(/[^a-z]/g, '')}${i}`;
  const date = now + Math.round((next() * 60 - 30) * DAY);
  const sunset: SeededUser['sunset'] = { date: new Date(date).toISOString() };
  if (date < now && next() < 0.2) {
    const done = date + Math.round(next() * (now - date));
    sunset['task-started'] = new Date(done - 1000).toISOString();
    sunset['task-completed'] = new Date(done).toISOString();
  }
  return {
    userName,
    givenName,
    sn,
    mail: `${userName}@${DOMAINS[i % DOMAINS.length]}`,
    accountStatus: next() < 0.9 ? 'active' : 'inactive',
    sunset,
  };
}

/** Seeds each collection that is still empty; returns how many users were written per collection. */
export function seedUsers(
  store: Store,
  objects: ObjectTable,
  count: number,
  now: Date,
): Record<string, number> {
  const written: Record<string, number> = {};
  for (const [collection, seed] of [
    ['managed/alpha_user', 1],
    ['managed/user', 2],
  ] as const) {
    if (objects.count(collection) > 0) {
      written[collection] = 0;
      continue;
    }
    const next = random(seed * 7919 + count);
    store.db.transaction(() => {
      for (let i = 0; i < count; i++) {
        const id = `${collection === 'managed/user' ? 'u' : 'a'}${String(i).padStart(8, '0')}-${Math.floor(
          next() * 0xffffffff,
        )
          .toString(16)
          .padStart(8, '0')}`;
        objects.create(
          collection,
          id,
          seededUser(i, now.getTime(), next) as unknown as Record<string, unknown>,
        );
      }
    });
    written[collection] = count;
  }
  return written;
}
