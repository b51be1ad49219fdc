// The article's alarm rule: critical when there is movement or a flame, or
// gas or temperature above their thresholds.

export function criticalReasons(r, thresholds) {
  const reasons = [];
  if (r.movement) reasons.push('movement');
  if (r.flame) reasons.push('flame');
  if (r.gas > thresholds.gas) reasons.push('gas');
  if (r.temperature !== null && r.temperature > thresholds.temperature) reasons.push('temperature');
  return reasons;
}
