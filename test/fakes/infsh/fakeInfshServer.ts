import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, statSync } from 'node:fs';
import { copyFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { renderAnimate, renderS2v, s2vSize } from './fakeRender';
import { STATUS, statusName, type FileDTO, type TaskDTO, type TaskLog } from './protocol';
import { liveInputSchemas } from './liveSchemas';

/**
 * A protocol-faithful fake of the inference.sh API for tests and manual runs. Two hosts, like the
 * real service: the API (Bearer key, v2 DTOs or the v1 envelope, NDJSON or SSE streams, the full
 * status sequence including 9 = uploading) and a storage host (presigned-style PUT uploads, file
 * downloads with Range) that must never see the key. Faults can be switched on per test.
 */

export interface Faults {
  /** Close the task stream after this many lines, this many times. */
  dropStream: { afterLines: number; times: number } | null;
  /** Answer 500 to requests whose path matches, this many times. */
  burst500: { path: RegExp; times: number } | null;
  /** Answer 429 to requests whose path matches, with Retry-After / X-RateLimit-Reset. */
  rateLimit: { path: RegExp; times: number; resetSec: number; header: 'retry-after' | 'x-ratelimit-reset' } | null;
  /** Delay responses on matching paths. */
  slow: { path: RegExp; ms: number } | null;
  /** Cut the first download of an output after this many bytes. */
  truncateDownload: { atBytes: number; times: number } | null;
  /** Fail every task with this message (status 11). */
  failTask: string | null;
  /** The stream route answers 404: clients must poll. */
  noStream: boolean;
  /** 412 on run, with this requirement list. */
  requirements: Array<{ type: string; key: string; message: string; action?: { type: string } }> | null;
  /** Report statuses by name ("running") instead of number. */
  statusAsString: boolean;
  /** The stream never sends a terminal update; the task only finishes when polled. */
  silentStream: boolean;
  /** Answer in the older `{success, data | error}` envelope even when v2 is asked for. */
  v1Envelope: boolean;
  /** Stream as SSE (the older transport) whatever the client accepts. */
  sseOnly: boolean;
  /** One more log line while running (a long one checks that the page wraps it). */
  extraLog: string | null;
  /** Tasks started meanwhile stay running and never finish (a test then loses or cancels them). */
  stallTasks: boolean;
}

const noFaults = (): Faults => ({
  dropStream: null,
  burst500: null,
  rateLimit: null,
  slow: null,
  truncateDownload: null,
  failTask: null,
  noStream: false,
  requirements: null,
  statusAsString: false,
  silentStream: false,
  v1Envelope: false,
  sseOnly: false,
  extraLog: null,
  stallTasks: false,
});

/**
 * A latch for crash tests: the next matching API request is held (no answer) until the test
 * releases or drops it. `after-create` holds a run request after its task exists (the service
 * got it, the client has not heard back); `before` holds any request before the service acts.
 */
export interface HoldRule {
  /** An HTTP method, or '*' for any. */
  method: string;
  path: RegExp;
  phase: 'before' | 'after-create';
  /** Let this many matching requests through first. */
  skip?: number;
}

export interface HeldRequest {
  method: string;
  path: string;
  /** The task the held run created (after-create), else null. */
  taskId: string | null;
  /** Carry on as if nothing happened (the answer goes to whoever still listens). */
  release(): void;
  /** Cut the connection without acting on the request (before) or answering it (after-create). */
  drop(): void;
}

interface PendingHold {
  rule: HoldRule;
  skip: number;
  resolve: (held: HeldRequest) => void;
}

export interface RecordedRequest {
  host: 'api' | 'storage';
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  at: number;
}

export interface FakeOptions {
  /** Keys the API accepts. */
  apiKeys?: string[];
  /** Time between status changes, ms. */
  stepMs?: number;
  /** Time spent "running" (log lines appear meanwhile), ms. */
  runMs?: number;
  heartbeatMs?: number;
  port?: number;
  storagePort?: number;
}

interface FakeTask {
  dto: TaskDTO;
  app: string;
  timers: NodeJS.Timeout[];
  listeners: Set<(line: Record<string, unknown>) => void>;
  outputFileId: string | null;
}

interface StoredFile {
  dto: FileDTO;
  path: string;
  uploaded: boolean;
}

const now = () => new Date().toISOString();
const id = (prefix: string) => `${prefix}_${randomBytes(8).toString('hex')}`;

export class FakeInfsh {
  readonly faults: Faults = noFaults();
  readonly requests: RecordedRequest[] = [];
  readonly tasks = new Map<string, FakeTask>();
  readonly files = new Map<string, StoredFile>();
  private readonly renders = new Map<string, Promise<string>>();
  private readonly holds: PendingHold[] = [];
  private readonly dir = mkdtempSync(join(tmpdir(), 'fake-infsh-'));
  private api: Server | null = null;
  private storage: Server | null = null;
  /** Tasks accepted and not yet completed, failed or cancelled; and the most there ever were at once. */
  inFlight = 0;
  peakInFlight = 0;
  private readonly ended = new Set<string>();
  /** TCP connections the API host accepted: polling must reuse them, not open one per request. */
  apiConnections = 0;
  /** API requests whose handlers are still running (a slow fault holds one even after the client gave up). */
  private apiHandling = 0;
  private apiPort = 0;
  private storagePort = 0;
  private readonly keys: Set<string>;
  private readonly stepMs: number;
  private readonly runMs: number;
  private readonly heartbeatMs: number;

  constructor(private readonly options: FakeOptions = {}) {
    this.keys = new Set(options.apiKeys ?? ['inf_test_key']);
    this.stepMs = options.stepMs ?? 25;
    this.runMs = options.runMs ?? 150;
    this.heartbeatMs = options.heartbeatMs ?? 50;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.apiPort}`;
  }

  get storageUrl(): string {
    return `http://127.0.0.1:${this.storagePort}`;
  }

  /** How many times a run was requested: a client must never pay twice for one job. */
  get runRequests(): number {
    return this.requests.filter((r) => r.host === 'api' && r.method === 'POST' && (r.path === '/apps/run' || r.path === '/run')).length;
  }

  /** True when every API request received so far has been handled to its end: a state a test can wait for. */
  get apiIdle(): boolean {
    return this.apiHandling === 0;
  }

  resetFaults(): void {
    Object.assign(this.faults, noFaults());
  }

  /** Paid tasks the service created (what a client must never double). */
  get tasksCreated(): number {
    return this.tasks.size;
  }

  /** Holds the next request matching `rule`; resolves once one is held. */
  hold(rule: HoldRule): Promise<HeldRequest> {
    return new Promise((resolve) => this.holds.push({ rule, skip: rule.skip ?? 0, resolve }));
  }

  /** Forgets holds that never matched. */
  clearHolds(): void {
    this.holds.length = 0;
  }

  /** Waits here while a matching hold is armed; false when the test dropped the request. */
  private async passHold(req: IncomingMessage, res: ServerResponse, path: string, phase: HoldRule['phase'], taskId: string | null = null): Promise<boolean> {
    const at = this.holds.findIndex((h) => h.rule.phase === phase && (h.rule.method === '*' || h.rule.method === req.method) && h.rule.path.test(path));
    if (at < 0) return true;
    const pending = this.holds[at] as PendingHold;
    if (pending.skip > 0) {
      pending.skip--;
      return true;
    }
    this.holds.splice(at, 1);
    return new Promise<boolean>((go) => {
      pending.resolve({
        method: req.method ?? '',
        path,
        taskId,
        release: () => go(true),
        drop: () => {
          res.destroy();
          go(false);
        },
      });
    });
  }

  async start(): Promise<this> {
    this.api = createServer((req, res) => {
      this.apiHandling++;
      void this.handleApi(req, res)
        .catch((e: unknown) => this.crash(res, e))
        .finally(() => this.apiHandling--);
    });
    this.storage = createServer((req, res) => void this.handleStorage(req, res).catch((e: unknown) => this.crash(res, e)));
    this.api.on('connection', () => this.apiConnections++);
    this.apiPort = await listen(this.api, this.options.port ?? 0);
    this.storagePort = await listen(this.storage, this.options.storagePort ?? 0);
    return this;
  }

  async stop(): Promise<void> {
    for (const t of this.tasks.values()) t.timers.forEach(clearTimeout);
    for (const s of [this.api, this.storage]) {
      if (!s) continue;
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    }
    await rm(this.dir, { recursive: true, force: true });
  }

  private crash(res: ServerResponse, e: unknown): void {
    if (!res.headersSent) {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(`fake crashed: ${e instanceof Error ? e.message : String(e)}`);
    } else res.destroy();
  }

  private record(host: 'api' | 'storage', req: IncomingMessage): void {
    this.requests.push({ host, method: req.method ?? '', path: (req.url ?? '').split('?')[0] ?? '', headers: { ...req.headers }, at: Date.now() });
  }

  // ---------- API host ----------

  private async handleApi(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.record('api', req);
    const url = new URL(req.url ?? '/', this.baseUrl);
    const path = url.pathname.replace(/^\/v1(?=\/)/, '');
    const v2 = req.headers['x-api-version'] === '2' && !this.faults.v1Envelope;
    if (!(await this.passHold(req, res, path, 'before'))) return;

    if (this.faults.slow && this.faults.slow.path.test(path)) await sleep(this.faults.slow.ms);
    if (this.faults.rateLimit && this.faults.rateLimit.times > 0 && this.faults.rateLimit.path.test(path)) {
      this.faults.rateLimit.times--;
      const rl = this.faults.rateLimit;
      const headers: Record<string, string> =
        rl.header === 'retry-after' ? { 'Retry-After': String(rl.resetSec) } : { 'X-RateLimit-Reset': String(Math.ceil(Date.now() / 1000) + rl.resetSec), 'X-RateLimit-Remaining': '0' };
      return this.error(res, v2, 429, 'rate_limited', 'Rate limit exceeded', headers);
    }
    if (this.faults.burst500 && this.faults.burst500.times > 0 && this.faults.burst500.path.test(path)) {
      this.faults.burst500.times--;
      return this.error(res, v2, 500, 'internal_error', 'Internal server error');
    }

    const auth = req.headers.authorization ?? '';
    const key = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    if (!this.keys.has(key)) return this.error(res, v2, 401, 'unauthorized', 'Invalid or missing API key');

    let m: RegExpExecArray | null;
    if (req.method === 'POST' && path === '/files') return this.createFiles(req, res, v2);
    if (req.method === 'POST' && (path === '/apps/run' || path === '/run')) return this.run(req, res, v2, path);
    if (req.method === 'POST' && path === '/tasks/list') return this.listTasks(req, res, v2);
    if (req.method === 'GET' && (m = /^\/apps\/([^/]+)\/([^/]+)$/.exec(path))) return this.getApp(res, v2, `${m[1]}/${m[2]}`);
    if ((m = /^\/tasks\/([^/]+)(\/status|\/stream|\/cancel)?$/.exec(path))) {
      const task = this.tasks.get(m[1] ?? '');
      if (!task) return this.error(res, v2, 404, 'not_found', `Task ${m[1]} not found`);
      const sub = m[2] ?? '';
      if (req.method === 'GET' && sub === '') return this.ok(res, v2, this.view(task.dto));
      if (req.method === 'GET' && sub === '/status') return this.ok(res, v2, { id: task.dto.id, status: this.statusOut(task.dto.status), updated_at: task.dto.updated_at });
      if (req.method === 'GET' && sub === '/stream') return this.stream(req, res, task, v2);
      if (req.method === 'POST' && sub === '/cancel') return this.cancel(res, task, v2);
    }
    return this.error(res, v2, 404, 'not_found', `No route ${req.method} ${path}`);
  }

  private statusOut(s: number | string): number | string {
    return this.faults.statusAsString && typeof s === 'number' ? statusName(s) : s;
  }

  private view(t: TaskDTO): TaskDTO {
    return { ...t, status: this.statusOut(t.status) };
  }

  private ok(res: ServerResponse, v2: boolean, data: unknown, status = 200): void {
    const body = JSON.stringify(v2 ? data : { success: true, status, data });
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  }

  private error(res: ServerResponse, v2: boolean, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
    const body = JSON.stringify(
      v2 ? { type: `https://api.inference.sh/errors/${code}`, title: message, status, detail: message } : { success: false, status, error: { code, message } },
    );
    res.writeHead(status, { 'Content-Type': v2 ? 'application/problem+json' : 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers });
    res.end(body);
  }

  private async createFiles(req: IncomingMessage, res: ServerResponse, v2: boolean): Promise<void> {
    const body = (await readJson(req)) as { files?: Array<{ filename?: string; content_type?: string; size?: number }> };
    if (!Array.isArray(body.files) || body.files.length === 0) return this.error(res, v2, 400, 'invalid_request', 'files must be a non-empty array');
    const out: FileDTO[] = body.files.map((f) => {
      const fileId = id('file');
      const filename = (f.filename ?? 'upload.bin').replace(/[^\w.-]+/g, '_');
      const dto: FileDTO = {
        id: fileId,
        short_id: fileId.slice(-8),
        created_at: now(),
        updated_at: now(),
        path: `uploads/${fileId}/${filename}`,
        remote_path: `uploads/${fileId}/${filename}`,
        upload_url: `${this.storageUrl}/upload/${fileId}?signature=${randomBytes(8).toString('hex')}`,
        uri: `${this.storageUrl}/files/${fileId}/${filename}`,
        content_type: f.content_type ?? 'application/octet-stream',
        size: f.size ?? 0,
        filename,
      };
      this.files.set(fileId, { dto, path: join(this.dir, fileId), uploaded: false });
      return dto;
    });
    this.ok(res, v2, out);
  }

  private getApp(res: ServerResponse, v2: boolean, name: string): void {
    const schema = liveInputSchemas[name];
    if (!schema) return this.error(res, v2, 404, 'not_found', `App ${name} not found`);
    this.ok(res, v2, { id: `app_${name.replace('/', '_')}`, namespace: name.split('/')[0], name: name.split('/')[1], version: { id: 'ver_1', input_schema: schema, output_schema: {} } });
  }

  /**
   * `POST /tasks/list` with a CursorListRequest (research/infsh-api.md §13): filters on top-level
   * task fields with the documented operators, sort, limit and an opaque cursor; answers a
   * CursorListResponse of full tasks, newest first unless told otherwise.
   */
  private async listTasks(req: IncomingMessage, res: ServerResponse, v2: boolean): Promise<void> {
    const body = (await readJson(req)) as ListRequest;
    const limit = Math.max(1, Math.min(100, Number(body.limit) || 20));
    let items = [...this.tasks.values()].map((t) => t.dto);
    for (const f of Array.isArray(body.filters) ? body.filters : []) {
      const test = filterTest(f);
      if (!test) return this.error(res, v2, 400, 'invalid_request', `Unknown filter operator ${String(f.operator)}`);
      items = items.filter((t) => test((t as unknown as Record<string, unknown>)[f.field]));
    }
    const sort = Array.isArray(body.sort) && body.sort[0] ? body.sort[0] : { field: 'created_at', dir: 'desc' as const };
    const sign = sort.dir === 'asc' ? 1 : -1;
    items.sort((a, b) => sign * compare((a as unknown as Record<string, unknown>)[sort.field], (b as unknown as Record<string, unknown>)[sort.field]));
    const offset = body.cursor ? Number(Buffer.from(body.cursor, 'base64url').toString()) || 0 : (Math.max(1, Number(body.page) || 1) - 1) * limit;
    const page = items.slice(offset, offset + limit);
    const hasNext = offset + limit < items.length;
    this.ok(res, v2, {
      items: page.map((t) => this.view(t)),
      next_cursor: hasNext ? Buffer.from(String(offset + limit)).toString('base64url') : null,
      prev_cursor: offset > 0 ? Buffer.from(String(Math.max(0, offset - limit))).toString('base64url') : null,
      has_next: hasNext,
      has_previous: offset > 0,
      items_per_page: limit,
      total_items: items.length,
    });
  }

  private async run(req: IncomingMessage, res: ServerResponse, v2: boolean, path: string): Promise<void> {
    const body = (await readJson(req)) as { app?: string; input?: Record<string, unknown> };
    if (this.faults.requirements) {
      const payload = JSON.stringify({ satisfied: false, errors: this.faults.requirements });
      res.writeHead(412, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) });
      res.end(payload);
      return;
    }
    if (body.app !== 'infsh/wan-2-2-s2v' && body.app !== 'infsh/wan-2-2-animate-v2v') return this.error(res, v2, 404, 'not_found', `App ${body.app} not found`);
    const input = body.input ?? {};
    const problem = this.validateInput(body.app, input);
    if (problem) return this.error(res, v2, 400, 'invalid_request', problem);
    const taskId = id('task');
    const task: FakeTask = {
      app: body.app,
      dto: { id: taskId, short_id: taskId.slice(-8), created_at: now(), updated_at: now(), status: STATUS.received, app_id: body.app, input, output: null, events: [], logs: [], session_id: null },
      timers: [],
      listeners: new Set(),
      outputFileId: null,
    };
    this.tasks.set(taskId, task);
    this.inFlight++;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    this.schedule(task);
    if (!(await this.passHold(req, res, path, 'after-create', taskId))) return;
    this.ok(res, v2, this.view(task.dto));
  }

  /** What the apps' own validators reject (file fields must be URIs of uploaded files, §9). */
  private validateInput(app: string, input: Record<string, unknown>): string | null {
    const fileFields = app === 'infsh/wan-2-2-s2v' ? ['image', 'audio'] : ['driving_video', 'reference_image'];
    for (const f of fileFields) {
      const v = input[f];
      if (typeof v !== 'string') return `${f}: field required (a file URI string)`;
      if (!this.fileForUri(v)) return `${f}: ${v} is not a file uploaded to this account`;
    }
    if (app === 'infsh/wan-2-2-s2v' && typeof input.prompt !== 'string') return 'prompt: field required';
    return null;
  }

  private fileForUri(uri: string): StoredFile | undefined {
    const m = /\/files\/([^/]+)\//.exec(uri);
    const f = m?.[1] ? this.files.get(m[1]) : undefined;
    return f?.uploaded ? f : undefined;
  }

  private setStatus(task: FakeTask, status: number): void {
    const t = now();
    task.dto.status = status;
    this.countEnd(task);
    task.dto.updated_at = t;
    task.dto.events.push({ id: id('evt'), created_at: t, event_time: t, task_id: task.dto.id, status });
    this.emit(task, { data: { status: this.statusOut(status), updated_at: t, events: task.dto.events }, fields: ['status', 'updated_at', 'events'] });
  }

  private countEnd(task: FakeTask): void {
    const st = task.dto.status;
    if ((st === STATUS.completed || st === STATUS.failed || st === STATUS.cancelled) && !this.ended.has(task.dto.id)) {
      this.ended.add(task.dto.id);
      this.inFlight--;
    }
  }

  private log(task: FakeTask, content: string): void {
    const t = now();
    const entry: TaskLog = { id: id('log'), created_at: t, updated_at: t, task_id: task.dto.id, log_type: 4, content };
    task.dto.logs.push(entry);
    this.emit(task, { data: { logs: task.dto.logs }, fields: ['logs'] });
  }

  private emit(task: FakeTask, line: Record<string, unknown>): void {
    for (const l of task.listeners) l(line);
  }

  /** The real sequence: received, queued, dispatched, preparing, setting_up, running (logs), uploading, completed. */
  private schedule(task: FakeTask): void {
    const at = (ms: number, fn: () => void | Promise<void>) => task.timers.push(setTimeout(() => void fn(), ms));
    const s = this.stepMs;
    const steps: Array<[number, number]> = [
      [s, STATUS.queued],
      [2 * s, STATUS.dispatched],
      [3 * s, STATUS.preparing],
      [4 * s, STATUS.setting_up],
      [5 * s, STATUS.running],
    ];
    for (const [ms, st] of steps) at(ms, () => this.setStatus(task, st));
    at(5 * s + 1, () => this.log(task, 'Loading Wan2.2 pipeline...'));
    at(5 * s + 2, () => {
      if (this.faults.extraLog) this.log(task, this.faults.extraLog);
    });
    at(5 * s + this.runMs / 2, () => this.log(task, 'Generating chunk 1/1'));
    at(5 * s + this.runMs, async () => {
      if (task.dto.status === STATUS.cancelling || task.dto.status === STATUS.cancelled) return;
      if (this.faults.stallTasks) return;
      if (this.faults.failTask) {
        task.dto.error = this.faults.failTask;
        this.emit(task, { data: { error: task.dto.error }, fields: ['error'] });
        this.setStatus(task, STATUS.failed);
        this.finishListeners(task);
        return;
      }
      this.setStatus(task, STATUS.uploading);
      try {
        task.dto.output = await this.produceOutput(task);
      } catch (e) {
        task.dto.error = `Rendering failed: ${(e as Error).message}`;
        this.setStatus(task, STATUS.failed);
        this.finishListeners(task);
        return;
      }
      task.timers.push(
        setTimeout(() => {
          if (this.faults.silentStream) {
            // Complete without telling streams: only a poll or GET sees it.
            task.dto.status = STATUS.completed;
            task.dto.updated_at = now();
            this.countEnd(task);
            return;
          }
          this.emit(task, { data: { output: task.dto.output }, fields: ['output'] });
          this.setStatus(task, STATUS.completed);
          this.finishListeners(task);
        }, s),
      );
    });
  }

  private finishListeners(task: FakeTask): void {
    for (const l of task.listeners) l({ __end: true });
  }

  /** Renders the stand-in video for a task's inputs. */
  private async render(task: FakeTask, out: string): Promise<string> {
    if (task.app === 'infsh/wan-2-2-s2v') {
      const image = this.fileForUri(String(task.dto.input.image));
      const audio = this.fileForUri(String(task.dto.input.audio));
      if (!image || !audio) throw new Error('inputs vanished');
      const [w, h] = await probeSize(image.path);
      await renderS2v(image.path, audio.path, out, s2vSize(String(task.dto.input.resolution ?? '720p'), w / h), Number(task.dto.input.fps ?? 16));
    } else {
      const video = this.fileForUri(String(task.dto.input.driving_video));
      const image = this.fileForUri(String(task.dto.input.reference_image));
      if (!video || !image) throw new Error('inputs vanished');
      const scale = 4; // keep the stand-in render small and quick
      await renderAnimate(video.path, image.path, out, { w: evenish(Number(task.dto.input.resolution_width ?? 1280) / scale), h: evenish(Number(task.dto.input.resolution_height ?? 720) / scale) }, Number(task.dto.input.fps ?? 30));
    }
    return out;
  }

  private async produceOutput(task: FakeTask): Promise<Record<string, unknown>> {
    const fileId = id('file');
    const out = join(this.dir, `${fileId}.mp4`);
    // The same inputs and settings render the same stand-in once (a deterministic service, and
    // many identical jobs in a bench do not turn into many ffmpeg runs).
    const key = JSON.stringify({ app: task.app, input: task.dto.input });
    let rendered = this.renders.get(key);
    if (!rendered) {
      rendered = this.render(task, join(this.dir, `render_${this.renders.size}.mp4`));
      this.renders.set(key, rendered);
      rendered.catch(() => this.renders.delete(key));
    }
    await copyFile(await rendered, out);
    const size = statSync(out).size;
    const filename = task.app === 'infsh/wan-2-2-s2v' ? 'output.mp4' : 'animation.mp4';
    const dto: FileDTO = {
      id: fileId,
      short_id: fileId.slice(-8),
      created_at: now(),
      updated_at: now(),
      path: `outputs/${fileId}/${filename}`,
      remote_path: `outputs/${fileId}/${filename}`,
      upload_url: '',
      uri: `${this.storageUrl}/files/${fileId}/${filename}`,
      content_type: 'video/mp4',
      size,
      filename,
    };
    this.files.set(fileId, { dto, path: out, uploaded: true });
    task.outputFileId = fileId;
    const fileOut = { uri: dto.uri, content_type: 'video/mp4', size, filename };
    return task.app === 'infsh/wan-2-2-s2v' ? { file: fileOut } : { output_video: fileOut };
  }

  private stream(req: IncomingMessage, res: ServerResponse, task: FakeTask, v2: boolean): void {
    if (this.faults.noStream) return this.error(res, v2, 404, 'not_found', 'Streaming is not available');
    const sse = this.faults.sseOnly || (req.headers.accept ?? '').includes('text/event-stream');
    res.writeHead(200, { 'Content-Type': sse ? 'text/event-stream' : 'application/x-ndjson', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    let lines = 0;
    const drop = this.faults.dropStream && this.faults.dropStream.times > 0 ? this.faults.dropStream : null;
    const write = (obj: Record<string, unknown>) => {
      res.write(sse ? `data: ${JSON.stringify(obj)}\n\n` : `${JSON.stringify(obj)}\n`);
      lines++;
      if (drop && lines >= drop.afterLines) {
        drop.times--;
        cleanup();
        res.destroy();
      }
    };
    const heartbeat = setInterval(() => (sse ? res.write(': keep-alive\n\n') : res.write('{"type":"heartbeat"}\n')), this.heartbeatMs);
    const listener = (line: Record<string, unknown>) => {
      if (line.__end) {
        cleanup();
        res.end();
        return;
      }
      if (this.faults.silentStream && JSON.stringify(line).includes('"status"')) return;
      write(line);
    };
    const cleanup = () => {
      clearInterval(heartbeat);
      task.listeners.delete(listener);
    };
    res.on('close', cleanup);
    task.listeners.add(listener);
    // First line: the whole current task, so a (re)connecting client starts from the truth.
    write(this.view(task.dto) as unknown as Record<string, unknown>);
    const terminal = [STATUS.completed, STATUS.failed, STATUS.cancelled].includes(task.dto.status as 10 | 11 | 12);
    if (terminal && !this.faults.silentStream) {
      cleanup();
      res.end();
    }
  }

  private cancel(res: ServerResponse, task: FakeTask, v2: boolean): void {
    const st = task.dto.status as number;
    if (st === STATUS.completed || st === STATUS.failed || st === STATUS.cancelled) return this.ok(res, v2, this.view(task.dto));
    task.timers.forEach(clearTimeout);
    task.timers = [];
    this.setStatus(task, STATUS.cancelling);
    task.timers.push(
      setTimeout(() => {
        this.setStatus(task, STATUS.cancelled);
        this.finishListeners(task);
      }, this.stepMs),
    );
    res.writeHead(204);
    res.end();
  }

  // ---------- storage host ----------

  private async handleStorage(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.record('storage', req);
    const url = new URL(req.url ?? '/', this.storageUrl);
    let m: RegExpExecArray | null;
    if (req.method === 'PUT' && (m = /^\/upload\/([^/]+)$/.exec(url.pathname))) {
      const f = this.files.get(m[1] ?? '');
      if (!f || !url.searchParams.get('signature')) {
        res.writeHead(403, { 'Content-Type': 'application/xml' });
        res.end('<Error><Code>AccessDenied</Code></Error>');
        return;
      }
      await pipeline(req, createWriteStream(f.path));
      f.uploaded = true;
      f.dto.size = statSync(f.path).size;
      res.writeHead(200);
      res.end();
      return;
    }
    if ((req.method === 'GET' || req.method === 'HEAD') && (m = /^\/files\/([^/]+)\//.exec(url.pathname))) {
      const f = this.files.get(m[1] ?? '');
      if (!f?.uploaded) {
        res.writeHead(404);
        res.end();
        return;
      }
      const size = statSync(f.path).size;
      const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
      const start = range ? Number(range[1]) : 0;
      const end = range && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
      if (start >= size) {
        res.writeHead(416, { 'Content-Range': `bytes */${size}` });
        res.end();
        return;
      }
      res.writeHead(range ? 206 : 200, {
        'Content-Type': f.dto.content_type,
        'Content-Length': String(end - start + 1),
        'Accept-Ranges': 'bytes',
        ...(range ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
      });
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      const cut = this.faults.truncateDownload && this.faults.truncateDownload.times > 0 ? this.faults.truncateDownload : null;
      if (cut) {
        // Send the first atBytes, let them reach the client, then drop the connection.
        cut.times--;
        const chunks: Buffer[] = [];
        for await (const c of createReadStream(f.path, { start, end: Math.min(end, start + cut.atBytes - 1) })) chunks.push(c as Buffer);
        res.write(Buffer.concat(chunks), () => setTimeout(() => res.destroy(), 30));
        return;
      }
      createReadStream(f.path, { start, end }).pipe(res);
      return;
    }
    res.writeHead(404);
    res.end();
  }
}

interface ListFilter {
  field: string;
  operator: string;
  value?: unknown;
}

interface ListRequest {
  cursor?: string;
  page?: number;
  limit?: number;
  filters?: ListFilter[];
  sort?: Array<{ field: string; dir: 'asc' | 'desc' }>;
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a ?? '').localeCompare(String(b ?? ''));
}

/** The documented operators over one field's value; null for an unknown operator. */
function filterTest(f: ListFilter): ((v: unknown) => boolean) | null {
  const list = Array.isArray(f.value) ? (f.value as unknown[]) : [f.value];
  const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v ?? ''));
  const like = (v: unknown, ci: boolean) => {
    const pattern = String(f.value ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
    return new RegExp(`^${pattern}$`, ci ? 'i' : '').test(text(v));
  };
  const empty = (v: unknown) => v === '' || (Array.isArray(v) && v.length === 0) || (!!v && typeof v === 'object' && Object.keys(v).length === 0);
  const tests: Record<string, (v: unknown) => boolean> = {
    eq: (v) => v === f.value,
    neq: (v) => v !== f.value,
    in: (v) => list.includes(v),
    not_in: (v) => !list.includes(v),
    gt: (v) => compare(v, f.value) > 0,
    gte: (v) => compare(v, f.value) >= 0,
    lt: (v) => compare(v, f.value) < 0,
    lte: (v) => compare(v, f.value) <= 0,
    like: (v) => like(v, false),
    ilike: (v) => like(v, true),
    contains: (v) => text(v).includes(String(f.value)),
    not_contains: (v) => !text(v).includes(String(f.value)),
    is_null: (v) => v === null || v === undefined,
    is_not_null: (v) => v !== null && v !== undefined,
    is_empty: (v) => empty(v),
    is_not_empty: (v) => !empty(v),
  };
  return tests[f.operator] ?? null;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as unknown) : {};
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const evenish = (n: number) => Math.max(64, Math.round(n / 16) * 16);

async function probeSize(path: string): Promise<[number, number]> {
  const out = (await promisify(execFile)('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', path])).stdout.trim();
  const [w, h] = out.split(',').map(Number);
  return [w || 1, h || 1];
}
