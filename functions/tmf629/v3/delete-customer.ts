import { deleteCustomer } from '../delete-customer.ts';
import { tmf629v3 } from '../operations.ts';

export const handler = deleteCustomer(tmf629v3.deleteCustomer);
