/**
 * How an email address is shown to someone holding a link for it (the set-password step): enough to
 * recognise one's own address, not enough to learn a stranger's. Shared by the API (which sends it)
 * and the elements (which compare it with the address this browser last asked a link for).
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '•••';
  const local = [...email.slice(0, at)];
  const keep = local.length <= 3 ? 1 : 2;
  return `${local.slice(0, keep).join('')}•••@${email.slice(at + 1).toLowerCase()}`;
}
