// A session binds only points its workspace's catalog holds: a cut that arrives from a client is
// checked member by member against the catalog before any of its ids become words of a command.
import type { RecoveryPoint } from '../../preload/schemas/catalog';
import type { Cut } from '../../preload/schemas/groups';
import { UserError } from '../ground/errors';
import type { Workspace } from '../workspace/types';

/** Find a point (or continuous window) of a source in the catalog; null when it holds none. */
export type PointLookup = (source: string, id: string) => Promise<RecoveryPoint | null>;

// Ids are shown as JSON strings, clipped: a hostile id such as "--foo\n" stays visible and short.
const shown = (text: string): string => JSON.stringify(text.slice(0, 80));

const refuse = (message: string): never => {
  throw new UserError(
    'POINT_NOT_IN_CATALOG',
    message,
    'Choose the cut on the Timeline (or with --before); refresh the catalog if the backup is new.',
  );
};

/** Throw a sentence unless every member of the cut is a point or window the catalog holds. */
export async function checkCutInCatalog(
  workspace: Workspace,
  cut: Cut,
  lookup: PointLookup,
): Promise<void> {
  const group = workspace.groups.get(cut.group);
  if (!group)
    refuse(`The cut is for group ${shown(cut.group)}, which this workspace does not have.`);
  for (const member of cut.members) {
    if (!group?.members.includes(member.service)) {
      refuse(
        `The cut names service ${shown(member.service)}, which is not a member of ${cut.group}.`,
      );
    }
    const id = member.pointId ?? member.windowId;
    if (id === null) refuse(`The cut gives ${member.service} no recovery point.`);
    const point = await lookup(member.source, id as string);
    if (!point || point.service !== member.service) {
      refuse(
        `The cut names point ${shown(id as string)} of ${shown(member.service)} from source ${shown(member.source)}, which is not in the catalog of ${workspace.name}: a session binds only points the catalog holds.`,
      );
    }
    const p = point as RecoveryPoint;
    const at = Date.parse(member.time);
    // A window without an end (an s3-versions prefix) runs up to now.
    const open = p.kind === 'window' && p.endTime === null;
    const end = open ? Date.now() : p.endTime === null ? null : Date.parse(p.endTime);
    const fits = end === null ? at === Date.parse(p.time) : at >= Date.parse(p.time) && at <= end;
    if (!fits) {
      const what =
        end === null
          ? `of ${p.time}`
          : `a window from ${p.time} to ${open ? 'now' : (p.endTime as string)}`;
      refuse(
        `The cut restores ${member.service} to ${shown(member.time)}, but point ${shown(id as string)} in the catalog is ${what}.`,
      );
    }
  }
}
