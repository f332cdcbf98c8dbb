// Ways the shop's backups fail a drill, each with its undo. Both act on the db or files host
// after the catalog was read (the console holds its points; the repositories no longer agree),
// which is how silent backup failures meet a drill. The third failure, the db host's link
// dropping mid-restore, is the link relay's cutDuring() (link.ts).
import { chownSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lookupUser } from '../postgres';
import { pgbackrestConfig, type ShopDb } from './db';
import type { ShopLayout } from './layout';

/** Put a failure in place; the returned function takes it away again. */
export type Undo = () => void;

/** The failure variants of one shop. */
export type ShopVariants = {
  /** The restic password file now holds a wrong password (restic: "wrong password or no key found"). */
  wrongResticPassword: () => Undo;
  /**
   * The pgBackRest config the source names now points at a freshly created repository: the stanza
   * exists but holds no backup in the window (restore: "unable to find backup set"). WAL archiving
   * keeps its own config, so production's archive stays whole meanwhile.
   */
  stanzaWithoutBackups: () => Promise<Undo>;
};

/** The variants of a shop's layout and database host. */
export function shopVariants(layout: ShopLayout, db: ShopDb): ShopVariants {
  return {
    wrongResticPassword: () => {
      const file = layout.console.resticPassword;
      const right = readFileSync(file);
      writeFileSync(file, 'not the password of this repository\n', { mode: 0o600 });
      return () => writeFileSync(file, right, { mode: 0o600 });
    },
    stanzaWithoutBackups: async () => {
      const conf = layout.db.pgbackrestConf;
      const original = readFileSync(conf);
      const empty = join(layout.db.dir, 'pgbackrest-repo-reinitialised');
      const pg = lookupUser('postgres');
      mkdirSync(empty, { recursive: true, mode: 0o700 });
      chownSync(empty, pg.uid, pg.gid);
      writeFileSync(conf, pgbackrestConfig(layout, db.port, empty), { mode: 0o644 });
      try {
        await db.pgbackrest(['stanza-create']);
      } catch (error) {
        writeFileSync(conf, original, { mode: 0o644 });
        throw error;
      }
      return () => writeFileSync(conf, original, { mode: 0o644 });
    },
  };
}
