// The CSP forbids eval: tell zod not to probe `new Function` (the probe alone is reported as a
// CSP violation) and to validate without its JIT. Imported first by main.ts.
import { z } from 'zod';

z.config({ jitless: true });
