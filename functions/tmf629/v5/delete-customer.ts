import { deleteCustomer } from '../delete-customer.ts';
import { tmf629v5 } from '../operations.ts';

export const handler = deleteCustomer(tmf629v5.deleteCustomer);
