// Runs the fake inference.sh service on its own, for manual runs of the studio against it:
//   npm run fake-infsh -- [--port 3021] [--key inf_test_key]
// then start the studio with INFERENCE_BASE_URL=<printed URL> INFERENCE_API_KEY=<key>.
import { parseArgs } from 'node:util';
import { FakeInfsh } from './fakeInfshServer';

const { values } = parseArgs({ options: { port: { type: 'string' }, key: { type: 'string' }, 'run-ms': { type: 'string' } } });
const key = values.key ?? 'inf_test_key';
const fake = await new FakeInfsh({ apiKeys: [key], port: values.port ? Number(values.port) : 0, stepMs: 400, runMs: Number(values['run-ms'] ?? 4000) }).start();
process.stdout.write(`Fake inference.sh listening\n  INFERENCE_BASE_URL=${fake.baseUrl}\n  INFERENCE_API_KEY=${key}\n  storage host: ${fake.storageUrl}\n`);
const stop = () => void fake.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
