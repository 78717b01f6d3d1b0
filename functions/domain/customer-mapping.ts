/**
 * One customer, two views. The stored customer keeps TMF629's `engagedParty` and `contactMedium`;
 * the CRM view's type, email, phone and addresses are read from them and written into them:
 *
 * | CRM field            | TMF629                                                                  |
 * |----------------------|-------------------------------------------------------------------------|
 * | `name`               | `name`                                                                  |
 * | `type` PERSON        | `engagedParty.@referredType` Individual                                 |
 * | `type` ORGANIZATION  | `engagedParty.@referredType` Organization                               |
 * | `email`              | `contactMedium[mediumType=Email].characteristic.emailAddress` (preferred first) |
 * | `phone`              | `contactMedium[mediumType=Phone].characteristic.phoneNumber`            |
 * | `billingAddress`     | `contactMedium[mediumType=MailingAddress, characteristic.contactType=billing]` |
 * | `deliveryAddresses`  | `contactMedium[mediumType=MailingAddress, characteristic.contactType=delivery]` |
 *
 * Address fields map street → street1, houseNumber → street2, postalCode → postCode, city, country;
 * the address id and coordinates travel as extension attributes of the medium characteristic.
 * TMF `status` and CRM `crmStatus` are separate fields, both kept.
 */
export interface Address {
  id?: string;
  street?: string;
  houseNumber?: string;
  postalCode?: string;
  city?: string;
  country?: string;
  latitude?: number;
  longitude?: number;
}

export type PartyType = 'PERSON' | 'ORGANIZATION';

export interface ContactProfile {
  type?: PartyType;
  email?: string;
  phone?: string;
  billingAddress?: Address;
  deliveryAddresses?: Address[];
}

export interface EngagedParty {
  id: string;
  '@referredType': string;
  [key: string]: unknown;
}

export interface ContactMedium {
  mediumType: string;
  preferred?: boolean;
  characteristic: Record<string, unknown>;
  [key: string]: unknown;
}

const MAILING = 'MailingAddress';
const isMedium = (type: string) => (m: ContactMedium) => m.mediumType.toLowerCase() === type.toLowerCase();
const preferredFirst = (media: ContactMedium[]) => [...media].sort((a, b) => Number(b.preferred === true) - Number(a.preferred === true));

const toAddress = (c: Record<string, unknown>): Address => {
  const address: Address = {
    id: c.id as string | undefined,
    street: c.street1 as string | undefined,
    houseNumber: c.street2 as string | undefined,
    postalCode: c.postCode as string | undefined,
    city: c.city as string | undefined,
    country: c.country as string | undefined,
    latitude: c.latitude as number | undefined,
    longitude: c.longitude as number | undefined,
  };
  return Object.fromEntries(Object.entries(address).filter(([, v]) => v !== undefined)) as Address;
};

const toMailingMedium = (address: Address, contactType: 'billing' | 'delivery'): ContactMedium => ({
  mediumType: MAILING,
  characteristic: Object.fromEntries(
    Object.entries({
      contactType,
      street1: address.street,
      street2: address.houseNumber,
      postCode: address.postalCode,
      city: address.city,
      country: address.country,
      id: address.id,
      latitude: address.latitude,
      longitude: address.longitude,
    }).filter(([, v]) => v !== undefined),
  ),
});

/** The CRM contact profile read from the TMF attributes. */
export const profileFromTmf = (engagedParty: EngagedParty | undefined, contactMedium: ContactMedium[] | undefined): ContactProfile => {
  const media = contactMedium ?? [];
  const referred = engagedParty?.['@referredType']?.toLowerCase();
  const email = preferredFirst(media.filter(isMedium('Email')))[0]?.characteristic.emailAddress;
  const phone = preferredFirst(media.filter(isMedium('Phone')))[0]?.characteristic.phoneNumber;
  const mailing = media.filter(isMedium(MAILING));
  const billing = mailing.find((m) => m.characteristic.contactType === 'billing');
  const delivery = mailing.filter((m) => m.characteristic.contactType === 'delivery');
  const profile: ContactProfile = {
    type: referred === 'individual' ? 'PERSON' : referred === 'organization' ? 'ORGANIZATION' : undefined,
    email: typeof email === 'string' ? email : undefined,
    phone: typeof phone === 'string' ? phone : undefined,
    billingAddress: billing ? toAddress(billing.characteristic) : undefined,
    deliveryAddresses: delivery.length > 0 ? delivery.map((m) => toAddress(m.characteristic)) : undefined,
  };
  return Object.fromEntries(Object.entries(profile).filter(([, v]) => v !== undefined)) as ContactProfile;
};

/**
 * Writes the given CRM profile fields into the TMF attributes. A field that is `null` is removed;
 * a field not given leaves its media untouched; media the CRM view does not know are kept.
 */
export const applyProfileToTmf = (
  current: { engagedParty: EngagedParty; contactMedium?: ContactMedium[] },
  change: { [K in keyof ContactProfile]?: ContactProfile[K] | null },
): { engagedParty: EngagedParty; contactMedium?: ContactMedium[] } => {
  let engagedParty = current.engagedParty;
  if (change.type) engagedParty = { ...engagedParty, '@referredType': change.type === 'PERSON' ? 'Individual' : 'Organization' };
  let media = [...(current.contactMedium ?? [])];
  const replace = (drop: (m: ContactMedium) => boolean, add: ContactMedium[]) => {
    media = [...media.filter((m) => !drop(m)), ...add];
  };
  if (change.email !== undefined)
    replace(isMedium('Email'), change.email === null ? [] : [{ mediumType: 'Email', preferred: true, characteristic: { emailAddress: change.email } }]);
  if (change.phone !== undefined)
    replace(isMedium('Phone'), change.phone === null ? [] : [{ mediumType: 'Phone', preferred: true, characteristic: { phoneNumber: change.phone } }]);
  const mailingOf = (type: string) => (m: ContactMedium) => isMedium(MAILING)(m) && m.characteristic.contactType === type;
  if (change.billingAddress !== undefined)
    replace(mailingOf('billing'), change.billingAddress === null ? [] : [toMailingMedium(change.billingAddress, 'billing')]);
  if (change.deliveryAddresses !== undefined)
    replace(
      mailingOf('delivery'),
      (change.deliveryAddresses ?? []).map((a) => toMailingMedium(a, 'delivery')),
    );
  return { engagedParty, ...(media.length > 0 ? { contactMedium: media } : {}) };
};
