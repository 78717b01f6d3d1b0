/**
 * TMF629 Customer Management v4.0.0 resource schemas, mirroring the definitions of the official
 * swagger file (`../shared/specs/tmf629/TMF629-CustomerManagement-v4.0.0.swagger.json`) field by
 * field. zod/mini keeps the handlers' bundles small (ARCHITECTURE.md, Decisions).
 * Top-level resources are strict (an unknown attribute is a 400 naming it); referenced
 * sub-resources stay open for TMF's polymorphic extension (`@type`, `@schemaLocation`).
 */
import * as z from 'zod/mini';

const dateTime = z.iso.datetime({ offset: true });
const polymorphic = {
  '@baseType': z.optional(z.string()),
  '@schemaLocation': z.optional(z.string()),
  '@type': z.optional(z.string()),
};

export const TimePeriod = z.looseObject({ startDateTime: z.optional(dateTime), endDateTime: z.optional(dateTime) });

const ref = (required: 'id' | 'name') =>
  z.looseObject({
    id: required === 'id' ? z.string() : z.optional(z.string()),
    href: z.optional(z.string()),
    name: required === 'name' ? z.string() : z.optional(z.string()),
    ...polymorphic,
    '@referredType': z.optional(z.string()),
  });

export const AccountRef = z.looseObject({ ...ref('name').shape, description: z.optional(z.string()) });
export const AgreementRef = ref('id');
export const PaymentMethodRef = ref('id');

export const RelatedParty = z.looseObject({
  id: z.string().check(z.minLength(1)),
  href: z.optional(z.string()),
  name: z.optional(z.string()),
  role: z.optional(z.string()),
  ...polymorphic,
  '@referredType': z.string().check(z.minLength(1)),
});

export const Characteristic = z.looseObject({
  name: z.string(),
  valueType: z.optional(z.string()),
  value: z.unknown().check(z.refine((v) => v !== undefined, { message: 'is required' })),
  ...polymorphic,
});

export const MediumCharacteristic = z.looseObject({
  city: z.optional(z.string()),
  contactType: z.optional(z.string()),
  country: z.optional(z.string()),
  emailAddress: z.optional(z.string()),
  faxNumber: z.optional(z.string()),
  phoneNumber: z.optional(z.string()),
  postCode: z.optional(z.string()),
  socialNetworkId: z.optional(z.string()),
  stateOrProvince: z.optional(z.string()),
  street1: z.optional(z.string()),
  street2: z.optional(z.string()),
  ...polymorphic,
});

export const ContactMedium = z.looseObject({
  mediumType: z.string(),
  preferred: z.optional(z.boolean()),
  characteristic: MediumCharacteristic,
  validFor: z.optional(TimePeriod),
  ...polymorphic,
});

export const CreditProfile = z.looseObject({
  creditProfileDate: dateTime,
  creditRiskRating: z.optional(z.int()),
  creditScore: z.optional(z.int()),
  validFor: TimePeriod,
  ...polymorphic,
});

/** The attributes a client may set (Customer without id and href). */
const customerAttributes = {
  name: z.optional(z.string()),
  status: z.optional(z.string()),
  statusReason: z.optional(z.string()),
  account: z.optional(z.array(AccountRef)),
  agreement: z.optional(z.array(AgreementRef)),
  characteristic: z.optional(z.array(Characteristic)),
  contactMedium: z.optional(z.array(ContactMedium)),
  creditProfile: z.optional(z.array(CreditProfile)),
  engagedParty: RelatedParty,
  paymentMethod: z.optional(z.array(PaymentMethodRef)),
  relatedParty: z.optional(z.array(RelatedParty)),
  validFor: z.optional(TimePeriod),
  ...polymorphic,
};

/** POST body: `name` and `engagedParty` are mandatory (conformance profile). */
export const CustomerCreate = z.strictObject({ ...customerAttributes, name: z.string().check(z.minLength(1)) });
export type CustomerCreate = z.infer<typeof CustomerCreate>;

/** A stored customer's TMF attributes, as validated after every change. */
export const CustomerAttributes = z.strictObject({ ...customerAttributes, name: z.string().check(z.minLength(1)) });
export type CustomerAttributes = z.infer<typeof CustomerAttributes>;

/** Names of the first-level attributes a client may set, filter on and select. */
export const CUSTOMER_ATTRIBUTE_NAMES = Object.keys(customerAttributes);

/** The resource as returned. */
export const Customer = z.object({ id: z.string(), href: z.string(), ...customerAttributes, name: z.string() });
export type Customer = z.infer<typeof Customer>;

/** PATCH with merge semantics: every attribute optional, `null` removes it. `id`/`href` are refused. */
export const CustomerMergePatch = z.record(z.string(), z.unknown());

/** RFC 6902 JSON Patch document. */
export const JsonPatchOperation = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('add'), path: z.string(), value: z.unknown() }),
  z.strictObject({ op: z.literal('replace'), path: z.string(), value: z.unknown() }),
  z.strictObject({ op: z.literal('test'), path: z.string(), value: z.unknown() }),
  z.strictObject({ op: z.literal('remove'), path: z.string() }),
  z.strictObject({ op: z.literal('move'), from: z.string(), path: z.string() }),
  z.strictObject({ op: z.literal('copy'), from: z.string(), path: z.string() }),
]);
export const JsonPatch = z.array(JsonPatchOperation);

/** TMF `Error`. */
export const TmfError = z.object({
  code: z.string(),
  reason: z.string(),
  message: z.optional(z.string()),
  status: z.optional(z.string()),
});

export const EventSubscriptionInput = z.strictObject({
  callback: z.string().check(z.minLength(1)),
  query: z.optional(z.string()),
});
export const EventSubscription = z.object({ id: z.string(), callback: z.string(), query: z.optional(z.string()) });

export const ListQuery = z.record(z.string(), z.string());
