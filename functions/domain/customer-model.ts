/**
 * The customer every family stores and maps to: TMF629 Customer Management v4.0.0's Customer,
 * plus the few attributes only v3 or v5 have (OTHER_GENERATION_ATTRIBUTES), field by field as the
 * official swagger file defines it (in `specs/tmf629` of the contract files,
 * README "Tests"). Its sub-resources stay open for TMF's polymorphic extension (`@type`,
 * `@schemaLocation`); the top level is strict, so a change that would leave an attribute the
 * model does not know is refused. The TMF629 family's request and response schemas build on it
 * (`functions/tmf629/schemas.ts`); the CRM and BIAN families map their views onto it.
 */
import * as z from 'zod/mini';

const dateTime = z.lazy(() => z.iso.datetime({ offset: true }));
/**
 * TMF's polymorphic attributes; `@schemaLocation` is a URI, as v4's file says, and `@type` is not
 * empty (v5 requires a type name) — in every generation, so every generation can show what another wrote.
 */
export const polymorphic = {
  '@baseType': z.optional(z.string()),
  '@schemaLocation': z.optional(z.url()),
  '@type': z.optional(z.string().check(z.minLength(1))),
};

export const TimePeriod = z.lazy(() => z.looseObject({ startDateTime: z.optional(dateTime), endDateTime: z.optional(dateTime) }));

const ref = (required: 'id' | 'name') =>
  z.looseObject({
    id: required === 'id' ? z.string() : z.optional(z.string()),
    href: z.optional(z.string()),
    name: required === 'name' ? z.string() : z.optional(z.string()),
    ...polymorphic,
    '@referredType': z.optional(z.string()),
  });

export const AccountRef = z.lazy(() => z.looseObject({ ...ref('name').shape, description: z.optional(z.string()) }));
export const AgreementRef = z.lazy(() => ref('id'));
export const PaymentMethodRef = z.lazy(() => ref('id'));

export const RelatedParty = z.lazy(() =>
  z.looseObject({
    id: z.string().check(z.minLength(1)),
    href: z.optional(z.string()),
    name: z.optional(z.string()),
    role: z.optional(z.string()),
    ...polymorphic,
    '@referredType': z.string().check(z.minLength(1)),
  }),
);

export const Characteristic = z.lazy(() =>
  z.looseObject({
    name: z.string(),
    valueType: z.optional(z.string()),
    value: z.unknown().check(z.refine((v) => v !== undefined, { message: 'is required' })),
    ...polymorphic,
  }),
);

export const MediumCharacteristic = z.lazy(() =>
  z.looseObject({
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
  }),
);

export const ContactMedium = z.lazy(() =>
  z.looseObject({
    mediumType: z.string(),
    preferred: z.optional(z.boolean()),
    characteristic: MediumCharacteristic,
    validFor: z.optional(TimePeriod),
    ...polymorphic,
  }),
);

export const CreditProfile = z.lazy(() =>
  z.looseObject({
    creditProfileDate: dateTime,
    creditRiskRating: z.optional(z.int()),
    creditScore: z.optional(z.int()),
    validFor: TimePeriod,
    ...polymorphic,
  }),
);

/** The attributes a client may set (Customer without id and href), built when a schema first needs them. */
export const customerAttributes = () => ({
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
});

/** A stored customer's TMF attributes, as validated after every change. */
export const CustomerAttributes = z.lazy(() => z.strictObject({ ...customerAttributes(), name: z.string().check(z.minLength(1)) }));
export type CustomerAttributes = z.infer<typeof CustomerAttributes>;

/** Names of the first-level attributes a client may set, filter on and select: those of `customerAttributes` (a unit test holds them equal). */
export const CUSTOMER_ATTRIBUTE_NAMES = [
  'name',
  'status',
  'statusReason',
  'account',
  'agreement',
  'characteristic',
  'contactMedium',
  'creditProfile',
  'engagedParty',
  'paymentMethod',
  'relatedParty',
  'validFor',
  '@baseType',
  '@schemaLocation',
  '@type',
];

/** Where TMF629 v4 serves customers; a customer's `href` points there. */
export const TMF_BASE_PATH = '/tmf-api/customerManagement/v4';

/**
 * Attributes only another generation of TMF629 has, kept beside v4's in the stored customer:
 * v3's `type` (stored as `roleType`), v5's `description`, `role` and `partyRoleSpecification`
 * (functions/domain/tmf629/).
 */
export const OTHER_GENERATION_ATTRIBUTES = ['roleType', 'description', 'role', 'partyRoleSpecification'] as const;

/** Every TMF attribute a stored customer may hold. */
export const STORED_TMF_ATTRIBUTE_NAMES: readonly string[] = [...CUSTOMER_ATTRIBUTE_NAMES, ...OTHER_GENERATION_ATTRIBUTES];

/** The TMF attributes of a stored customer (every generation's; no id, no href). */
export const tmfAttributesOf = (record: Record<string, unknown>): Record<string, unknown> => {
  const attributes: Record<string, unknown> = {};
  for (const name of STORED_TMF_ATTRIBUTE_NAMES) if (record[name] !== undefined) attributes[name] = record[name];
  return attributes;
};

/** A customer as TMF629 v4 shows it. */
export type Customer = CustomerAttributes & { id: string; href: string };
