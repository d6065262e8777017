#!/usr/bin/env node
// The `nimbus` bin: registers tsx (a dependency) in this process, then runs the TypeScript CLI.
import { register } from 'tsx/esm/api';

register();
const { nimbus, exitQuietlyOnEpipe } = await import('./nimbus.ts');
exitQuietlyOnEpipe();
const { reportError } = await import('./errors.ts');
const code = await nimbus(process.argv.slice(2)).catch((error) => reportError(error));
if (code !== 'running') process.exitCode = code;
