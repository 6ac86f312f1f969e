// Child process for the upload memory bench: uploads one file to the fake's storage through our
// real upload code and reports its RSS before and at peak, so the parent's own memory (the fake
// server, vitest) does not blur the number.
import { CloudHttp } from '../../../main/core/engines/cloud/cloudHttp';
import { uploadFile } from '../../../main/core/engines/cloud/fileUpload';

const [baseUrl, key, file] = process.argv.slice(2);
if (!baseUrl || !key || !file) throw new Error('usage: uploadChild <baseUrl> <key> <file>');
const http = new CloudHttp({ baseUrl, apiKey: () => key });
const before = process.memoryUsage().rss;
let peak = before;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
const t = performance.now();
let progressEvents = 0;
const uri = await uploadFile(http, file, { signal: new AbortController().signal, onProgress: () => progressEvents++ });
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
process.stdout.write(JSON.stringify({ before, peak, ms: performance.now() - t, uri, progressEvents }) + '\n');
