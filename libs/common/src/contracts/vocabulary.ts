/**
 * Vocabularies shared by every service: stable wire/database codes, and the Chinese names the UI shows.
 * One definition here, so catalog, certification, orders and logistics cannot drift apart.
 */

/** Regional-brand quality tiers (seed 004): 高端 (flagship) / 中端 (business gifts) / 大众 (everyday). */
export const QUALITY_TIERS = ['premium', 'mid', 'mass'] as const;
export type QualityTier = (typeof QUALITY_TIERS)[number];
export const QUALITY_TIER_ZH: Record<QualityTier, string> = { premium: '高端', mid: '中端', mass: '大众' };

/**
 * Storage/transport temperature classes (Chinese food-safety practice): frozen ≤ −18 °C; chilled above
 * freezing and below 8 °C; ambient; hot-held meals with a core temperature ≥ 60 °C, eaten within 4 h.
 */
export const TEMPERATURE_CLASSES = ['frozen', 'chilled', 'ambient', 'hot'] as const;
export type TemperatureClass = (typeof TEMPERATURE_CLASSES)[number];
export const TEMPERATURE_CLASS_ZH: Record<TemperatureClass, string> = {
  frozen: '冷冻（≤ −18 °C）',
  chilled: '冷藏（0–8 °C）',
  ambient: '常温',
  hot: '保温热链（≥ 60 °C，4 小时内食用）',
};

/** Hot meals: eaten within 4 h of cooking (DESIGN §2); the dispatch solver gets it as a maximum ride time. */
export const HOT_MEAL_MAX_MINUTES_FROM_COOKING = 240;

/** How an order came to be: a shopper's cart, a contract call-off, or a hot-meal (优餐) order. */
export const ORDER_CHANNELS = ['retail', 'contract', 'hot_meal'] as const;
export type OrderChannel = (typeof ORDER_CHANNELS)[number];
