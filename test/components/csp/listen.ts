// Imported first by page.ts: records every CSP violation of the page for the test to read.
const violations: string[] = [];
(window as unknown as { __cspViolations: string[] }).__cspViolations = violations;
document.addEventListener('securitypolicyviolation', (event) => {
  violations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
