import { describeFuzz } from '../support/fuzz.ts';

describeFuzz('tmf629');
