// Minimal stand-in for ankerl::unordered_dense (https://github.com/martinus/unordered_dense),
// which Debian bookworm does not package.
//
// mediasoup only uses map, set and hash from it, through the same interface as
// the standard containers, so aliasing them to std::unordered_map/set keeps the
// worker's behaviour while trading some lookup speed for not vendoring code.
// The standard containers are strictly more forgiving: they keep references
// stable across insertions and erasures, which ankerl's vector-backed tables do
// not.

#ifndef ANKERL_UNORDERED_DENSE_H
#define ANKERL_UNORDERED_DENSE_H

#include <functional>
#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace ankerl::unordered_dense
{
	// mediasoup feeds these into its own HashCombine(), which only needs a
	// deterministic per-value hash; std::hash provides that.
	template<class T>
	struct hash : std::hash<T>
	{
	};

	template<
	  class Key,
	  class T,
	  class Hash      = hash<Key>,
	  class KeyEqual  = std::equal_to<Key>,
	  class Allocator = std::allocator<std::pair<const Key, T>>>
	using map = std::unordered_map<Key, T, Hash, KeyEqual, Allocator>;

	template<class Key, class Hash = hash<Key>, class KeyEqual = std::equal_to<Key>, class Allocator = std::allocator<Key>>
	using set = std::unordered_set<Key, Hash, KeyEqual, Allocator>;
} // namespace ankerl::unordered_dense

#endif
