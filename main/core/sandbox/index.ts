// The Invoice sandbox: a local Zoho Invoice API with demo data (the demo organization and every test's counterpart).
export {
  startSandbox, DEMO_KEY, DEMO_ORG_ID, DEMO_LABS_ORG_ID, DEMO_SEED, DEMO_CONTACTS, DEMO_LABS_CONTACTS, apiBasePath,
} from './server';
export type { Sandbox, SandboxOptions, SandboxOrgInput, SandboxStats } from './server';
export type { SandboxFaults } from './faults';
export { maxInWindow } from './rateLimit';
export type { SandboxRateLimit } from './rateLimit';
export type {
  SandboxContact, SandboxContactInput, SandboxAddress, SandboxContactPerson, SandboxCustomField,
} from './contact';
export {
  ContactGenerator, describeGenerated, caseVariant, emailRates, defaultAnchor, seedFrom,
} from './generate';
export type { GenerateSpec, GeneratedComposition, EmailCategory } from './generate';
export { SandboxStateError, sortColumns, searchFields, statusFilters } from './organization';
export type { SortColumn, SearchField, StatusFilter } from './organization';
