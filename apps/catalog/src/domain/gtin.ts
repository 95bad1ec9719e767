/** GS1 GTIN-8/12/13/14 check digit (mod 10, weights 3 and 1 from the right). */
export function isValidGtin(code: string): boolean {
  if (!/^(\d{8}|\d{12}|\d{13}|\d{14})$/.test(code)) return false;
  return gtinCheckDigit(code.slice(0, -1)) === code.slice(-1);
}

export function gtinCheckDigit(body: string): string {
  const sum = [...body].map(Number).reverse().reduce((s, d, i) => s + d * (i % 2 === 0 ? 3 : 1), 0);
  return String((10 - (sum % 10)) % 10);
}
