import type { Mark } from '@techan/common';
import { MARK_NAMES_ZH } from '@techan/common';
import type { StarLevel } from './schemes/otop';
import { OTOP_TIER_NAMES_ZH, otopTier } from './schemes/otop';

/** Escape text for an SVG text node or attribute. */
export function escapeXml(text: string): string {
  const entities: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' };
  return text.replace(/[<>&"']/g, (c) => entities[c] ?? c);
}

/** Five-pointed star path centred on (cx, cy) with outer radius r. */
function starPath(cx: number, cy: number, r: number): string {
  const inner = r * 0.382;
  const points: string[] = [];
  for (let i = 0; i < 10; i++) {
    const radius = i % 2 === 0 ? r : inner;
    const angle = -Math.PI / 2 + (i * Math.PI) / 5;
    points.push(`${(cx + radius * Math.cos(angle)).toFixed(2)},${(cy + radius * Math.sin(angle)).toFixed(2)}`);
  }
  return `M${points.join('L')}Z`;
}

export interface BadgeInput {
  mark: Mark;
  level?: StarLevel;
  number?: string;
  validUntil: Date;
}

/**
 * The star badge a merchant prints on packaging: mark name, stars filled up to the level (OTOP),
 * tier, certificate number and validity. Self-contained SVG, no external fonts or images.
 */
export function badgeSvg(input: BadgeInput): string {
  const width = 360;
  const height = 200;
  const level = input.mark === 'otop' ? input.level : undefined;
  const isOtop = level !== undefined;
  const title = isOtop ? '中国一乡一品' : MARK_NAMES_ZH[input.mark];
  const subtitle = isOtop ? `${OTOP_TIER_NAMES_ZH[otopTier(level)]} · ${level}星级` : '认证产品';
  const stars = isOtop
    ? Array.from({ length: 5 }, (_, i) => {
        const filled = i < level;
        return `<path d="${starPath(100 + i * 40, 100, 16)}" fill="${filled ? '#f5b301' : 'none'}" stroke="#f5b301" stroke-width="2"/>`;
      }).join('')
    : '';
  const lines = [
    input.number ? `证书编号 ${escapeXml(input.number)}` : '',
    `有效期至 ${input.validUntil.toISOString().slice(0, 10)}`,
  ].filter(Boolean);
  const label = `${title} ${subtitle} ${lines.join(' ')}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(label)}">`,
    `<rect x="2" y="2" width="${width - 4}" height="${height - 4}" rx="18" fill="#b71c1c" stroke="#f5b301" stroke-width="4"/>`,
    `<text x="${width / 2}" y="48" text-anchor="middle" font-family="sans-serif" font-size="28" font-weight="bold" fill="#ffffff">${escapeXml(title)}</text>`,
    `<text x="${width / 2}" y="${isOtop ? 76 : 96}" text-anchor="middle" font-family="sans-serif" font-size="16" fill="#ffe082">${escapeXml(subtitle)}</text>`,
    stars,
    ...lines.map(
      (line, i) =>
        `<text x="${width / 2}" y="${150 + i * 22}" text-anchor="middle" font-family="sans-serif" font-size="14" fill="#ffffff">${line}</text>`,
    ),
    '</svg>',
  ].join('');
}
