// Type declarations for dependencies that ship none.
declare module 'role-based-email-addresses' {
  const prefixes: string[];
  export default prefixes;
}
