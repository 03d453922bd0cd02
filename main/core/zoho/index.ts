// The Zoho Invoice API client: what the rest of the core may use.
export { ZohoClient, perPageMax } from './client';
export type {
  ZohoClientOptions,
  RequestInfo,
  RetryInfo,
  SortOrder,
  ContactsPageQuery,
  ContactsPage,
  IterateOptions,
  ChangedOptions,
} from './client';
export { ZohoApiError, isZohoApiError, errorFromReply, parseRetryAfter, authErrorCodes, isAuthReply } from './errors';
export type { ZohoErrorKind } from './errors';
export { RequestLimiter, limiterFor, limiterKey, resetLimiters, defaultLimits, abortableSleep } from './limiter';
export type { LimiterOptions, LimiterStats, Release } from './limiter';
export { dataCenters, resolveApiRoot, isLoopbackHost, ApiRootError } from './dataCenters';
export type { DataCenter, DataCenterId } from './dataCenters';
export {
  organizationSchema,
  contactSummarySchema,
  contactDetailSchema,
  addressSchema,
  contactPersonSchema,
  customFieldSchema,
  pageContextSchema,
  envelopeSchema,
  describeSchemaProblem,
} from './schemas';
export type {
  ZohoOrganization,
  ZohoContactSummary,
  ZohoContactDetail,
  ZohoAddress,
  ZohoContactPerson,
  ZohoCustomField,
  ZohoPageContext,
  ZohoEnvelope,
} from './schemas';
export { parseZohoTime, formatZohoTime } from './time';
