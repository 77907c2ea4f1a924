/**
 * Whether meetings spread evenly over the nodes: each node's load must stay within 20 %
 * of every other's. Read both ways ("a within 20 % of b" and "b within 20 % of a"), that
 * is: the largest exceeds the smallest by at most 20 % of the smallest.
 */

/** The target: each node within 20 % of the others. */
export const BALANCE_TOLERANCE = 0.2;

/** How far apart the nodes are: (largest − smallest) / smallest; 0 when all are equal (all zero included), Infinity when one has nothing and another has some. */
export function spread(values: readonly number[]): number {
	if (values.length < 2) return 0;
	const smallest = Math.min(...values);
	const largest = Math.max(...values);
	if (largest === smallest) return 0;
	return smallest <= 0 ? Infinity : (largest - smallest) / smallest;
}

export function balanced(values: readonly number[], tolerance = BALANCE_TOLERANCE): boolean {
	return spread(values) <= tolerance + 1e-9;
}
