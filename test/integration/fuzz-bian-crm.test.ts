import { describeFuzz } from '../support/fuzz.ts';

describeFuzz('bian-crm');
