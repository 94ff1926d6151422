// `node --import tsx --import ./tests/support/raw-register.mjs …`: see raw-hooks.mjs.
import { register } from 'node:module';

register('./raw-hooks.mjs', import.meta.url);
