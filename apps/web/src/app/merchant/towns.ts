/** The catalog's town (镇/街) codes with their names, for the enterprise and product forms. */
export const TOWNS = [
  ['magang', '马冈镇'], ['dasha', '大沙镇'], ['tangkou', '塘口镇'], ['xiangang', '蚬冈镇'], ['chishui', '赤水镇'], ['jinji', '金鸡镇'],
  ['changsha', '长沙街道'], ['sanbu', '三埠街道'], ['cangcheng', '苍城镇'], ['longsheng', '龙胜镇'], ['yueshan', '月山镇'], ['shuikou', '水口镇'],
  ['chikan', '赤坎镇'], ['baihe', '百合镇'], ['shatang', '沙塘镇'], ['cuishanhu', '翠山湖新区'],
] as const;
