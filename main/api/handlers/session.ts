// session.* calls: restore sessions (live, drill, rehearsal) that write the audit log. The engine
// is main/restore; here it meets the open workspace, the operator's key and the renderer.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Cut } from '../../../preload/schemas/groups';
import type { PlanChoice } from '../../../preload/schemas/runbook';
import type { LiveSession } from '../../../preload/schemas/session';
import type { SshOptions } from '../../catalog/backends/ssh';
import { sha256Hex } from '../../audit/records';
import type { Workspace } from '../../workspace/types';
import type { KeyStore, OperatorKey, PublicOperatorKey } from '../../audit/key-store';
import type { StoredRecord } from '../../audit/records';
import {
  loadOperatorKey,
  operatorKeyFile,
  operatorTrusted,
  passphraseKeyStore,
  trustOperator,
} from '../../restore/operator';
import type { PointLookup } from '../../restore/executors/index';
import { watchDrop } from '../../restore/drop-watch';
import { findUnsealedLogs, resumeSession } from '../../restore/resume';
import { runbookPolicy, stepRules } from '../../restore/rules';
import type { RestoreSession } from '../../restore/session';
import { startSession } from '../../restore/start';
import type { AppContext } from '../context';
import { UserError } from '../../ground/errors';
import { previewRadius } from '../../restore/s3/preview';
import { catalogService } from './catalog';
import { planFor, readRunbook, s3StepOf } from './runbook';
import { checkCutInCatalog } from '../../runbook/catalog-cut';
import type { HandlersFor } from './types';

type Keyed = { key: OperatorKey & { created: boolean }; store: string };

const keys = new WeakMap<AppContext, Promise<Keyed>>();
const sessions = new WeakMap<AppContext, RestoreSession>();
const resumes = new WeakMap<AppContext, Promise<RestoreSession | null>>();

/** Where this console keeps the operator's key (the keychain, or the passphrase file). */
function keyStoreOf(ctx: AppContext): Promise<KeyStore> {
  return ctx.operatorKeys
    ? ctx.operatorKeys()
    : passphraseKeyStore(operatorKeyFile(ctx.dataDir), process.env, null);
}

/**
 * Who signs, without unlocking the key where the store can tell (no passphrase just to look):
 * the key already opened, else the store's public half; null when there is no key yet.
 */
async function publicOperatorKey(
  ctx: AppContext,
): Promise<{ key: PublicOperatorKey; created: boolean; store: string } | null> {
  const opened = keys.get(ctx);
  if (opened) {
    const { key, store } = await opened;
    return { key, created: key.created, store };
  }
  const store = await keyStoreOf(ctx);
  if (!store.peek) {
    const { key, store: where } = await operatorKey(ctx);
    return { key, created: key.created, store: where };
  }
  const key = await store.peek();
  return key ? { key, created: false, store: store.describe() } : null;
}

/** The operator's key of this console, opened once (the keychain, or the passphrase file). */
export function operatorKey(ctx: AppContext): Promise<Keyed> {
  let loaded = keys.get(ctx);
  if (!loaded) {
    loaded = (async () => {
      const store = await keyStoreOf(ctx);
      return { key: await loadOperatorKey(store), store: store.describe() };
    })();
    keys.set(ctx, loaded);
    // A wrong passphrase must not stick: the next call asks again.
    loaded.catch(() => {
      if (keys.get(ctx) === loaded) keys.delete(ctx);
    });
  }
  return loaded;
}

function openWorkspace(ctx: AppContext) {
  const workspace = ctx.workspace;
  if (!workspace) {
    throw new UserError(
      'NO_WORKSPACE',
      'No workspace is open, or its dapple.yaml has errors.',
      'Open a workspace; the Health section lists what is wrong with it.',
    );
  }
  return workspace;
}

/** The session of this console (running or just sealed), or null. */
export function activeSession(ctx: AppContext): RestoreSession | null {
  return sessions.get(ctx) ?? null;
}

// Output streams fast: at most this many session.changed per second while only output arrives.
const OUTPUT_EMITS_PER_SECOND = 10;

/** Tell the renderer about changes: at once for step facts, throttled for output chunks. */
function emitChanges(ctx: AppContext, session: RestoreSession): void {
  let last = 0;
  let timer: NodeJS.Timeout | null = null;
  const send = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    last = performance.now();
    if (sessions.get(ctx) === session) ctx.emit('session.changed', session.view());
  };
  session.onChange((_s, record: StoredRecord | null) => {
    const type = record?.payload.type;
    if (type !== 'output' && type !== 'checkpoint') return send();
    const wait = 1000 / OUTPUT_EMITS_PER_SECOND - (performance.now() - last);
    if (wait <= 0) send();
    else timer ??= setTimeout(send, wait);
  });
}

/** A workspace runbook bound to a cut and choice, with its step rules and bytes (hashed into the log). */
async function bindPlan(ctx: AppContext, file: string, cut: Cut | null, choice: PlanChoice = {}) {
  const workspace = openWorkspace(ctx);
  const runbook = await readRunbook(ctx, file);
  const plan = await planFor(ctx, file, cut, choice);
  const runbookBytes = await fs.readFile(path.join(workspace.root, file));
  return { plan, rules: stepRules(runbook), policy: runbookPolicy(runbook), runbookBytes };
}

/** ssh steps check host keys against the workspace's known_hosts and ask in the console. */
const sshOptions = (ctx: AppContext, workspace: Workspace): SshOptions => ({
  workspaceKnownHosts: path.join(workspace.root, 'known_hosts'),
  acceptHostKey: (info) => ctx.prompts.acceptHostKey(info),
  askPassphrase: (keyFile) => ctx.prompts.askPassphrase({ host: 'the ssh step', keyFile }),
});

/** The open catalog's points with their raw records, for executors (manifest sets, chains). */
export const pointLookup =
  (ctx: AppContext, workspace: Workspace): PointLookup =>
  (source, id) =>
    catalogService(ctx)
      .point(workspace, source, id)
      .catch(() => null);

const resumeTried = new WeakMap<AppContext, Set<string>>();

/**
 * After a restart, the newest unsealed session of this operator in the workspace continues
 * (once per workspace and console): its runbook must be unchanged since the session began.
 */
async function resumeLatest(ctx: AppContext): Promise<RestoreSession | null> {
  const workspace = ctx.workspace;
  if (!workspace) return null;
  let tried = resumeTried.get(ctx);
  if (!tried) resumeTried.set(ctx, (tried = new Set()));
  if (tried.has(workspace.root)) return null;
  tried.add(workspace.root);
  const candidates = await findUnsealedLogs(workspace.root);
  if (candidates.length === 0) return null;
  const key = await operatorKey(ctx).then(
    (k) => k.key,
    () => null,
  );
  for (const log of candidates) {
    if (!key || log.operatorKeyId !== key.keyId) continue;
    const bound = await bindPlan(ctx, log.runbookPath, log.cut, log.choice).catch(() => null);
    if (!bound || sha256Hex(bound.runbookBytes) !== log.runbookSha256) continue;
    const session = await resumeSession({
      file: log.file,
      workspace,
      plan: bound.plan,
      rules: bound.rules,
      policy: bound.policy,
      operator: key,
      ssh: sshOptions(ctx, workspace),
      points: pointLookup(ctx, workspace),
    }).catch(() => null);
    if (session) return session;
  }
  return null;
}

/** Hold a session for this console and send its changes to the renderer. */
function adopt(ctx: AppContext, session: RestoreSession): RestoreSession {
  sessions.set(ctx, session);
  emitChanges(ctx, session);
  // Responses dropped in the workspace's approvals folder arrive by themselves.
  watchDrop(session);
  return session;
}

export const sessionHandlers: HandlersFor<'session'> = {
  'session.operator': async (request, ctx) => {
    const found = request.create
      ? await operatorKey(ctx).then((k) => ({ ...k, created: k.key.created }))
      : await publicOperatorKey(ctx);
    if (!found) return null;
    const { key, store, created } = found;
    const trusted = ctx.workspace ? await operatorTrusted(ctx.workspace, key.keyId) : false;
    return { name: key.name, keyId: key.keyId, store, created, trusted };
  },
  'session.trustOperator': async (_request, ctx) => {
    const workspace = openWorkspace(ctx);
    // Trusting needs only the public half; a console without a key yet makes one first.
    let found = await publicOperatorKey(ctx);
    if (!found) {
      const opened = await operatorKey(ctx);
      found = { key: opened.key, store: opened.store, created: opened.key.created };
    }
    const { key, store, created } = found;
    await trustOperator(workspace, key);
    const session = sessions.get(ctx);
    if (session && session.ctx.workspace.root === workspace.root) {
      session.operatorTrusted = await operatorTrusted(workspace, key.keyId);
      ctx.emit('session.changed', session.view());
    }
    return {
      name: key.name,
      keyId: key.keyId,
      store,
      created,
      trusted: await operatorTrusted(workspace, key.keyId),
    };
  },
  'session.start': async ({ file, cut, mode, incident, ...choice }, ctx) => {
    const workspace = openWorkspace(ctx);
    const running = sessions.get(ctx);
    if (running && !running.state.sealed) {
      throw new UserError(
        'SESSION_RUNNING',
        `A session of "${running.ctx.plan.title}" is still open in this console.`,
        'Finish it or abort it before starting another.',
      );
    }
    if (cut) {
      const catalog = catalogService(ctx);
      await checkCutInCatalog(workspace, cut, (source, id) =>
        catalog.point(workspace, source, id).catch(() => null),
      );
    }
    const bound = await bindPlan(ctx, file, cut, choice);
    const { key } = await operatorKey(ctx);
    const session = await startSession({
      workspace,
      ...bound,
      cut,
      incident: incident ?? null,
      choice,
      mode,
      operator: key,
      appVersion: ctx.version,
      ssh: sshOptions(ctx, workspace),
      points: pointLookup(ctx, workspace),
    });
    return adopt(ctx, session).view();
  },
  'session.active': async (_request, ctx): Promise<LiveSession | null> => {
    const held = sessions.get(ctx);
    if (held) return held.view();
    // Two calls at once (two tabs) must not resume the same log twice.
    let resuming = resumes.get(ctx);
    if (!resuming) {
      resuming = resumeLatest(ctx).then((s) => (s ? adopt(ctx, s) : null));
      resumes.set(ctx, resuming);
      const done = () => resumes.delete(ctx);
      resuming.then(done, done);
    }
    return (await resuming)?.view() ?? null;
  },
  'session.blastRadius': async (request, ctx) => {
    const session = sessions.get(ctx);
    if (!session || session.id !== request.id) {
      throw new UserError(
        'NO_SESSION',
        'That session is not open in this console.',
        'Start a session from the Restore section.',
      );
    }
    const { plan, workspace } = session.ctx;
    return previewRadius(workspace, s3StepOf([...plan.steps, ...plan.rollback], request.step));
  },
  'session.act': async (request, ctx) => {
    const session = sessions.get(ctx);
    if (!session || session.id !== request.id) {
      throw new UserError(
        'NO_SESSION',
        'That session is not open in this console.',
        'Start a session from the Restore section.',
      );
    }
    return session.act(request.action);
  },
};
