import { describeFuzz } from '../support/fuzz.ts';

describeFuzz('imports');
