// libsrtp 3 API adapter over the system libsrtp 2 (Debian bookworm ships 2.5).
//
// mediasoup 3.27 is written against versatica's libsrtp 3 fork, whose API
// differs from libsrtp 2 in ways that matter to mediasoup:
//
//  - srtp_policy_t is an opaque handle configured through setters, whereas in
//    libsrtp 2 it is a plain struct the caller fills in (and `key` points at a
//    single master key || master salt buffer).
//  - srtp_protect() and friends take separate input and output buffers plus an
//    explicit output capacity, whereas libsrtp 2 works in place and trusts the
//    caller to leave room for the trailer.
//  - srtp_remove_stream() became srtp_stream_remove(), and two error codes were
//    added.
//
// This header provides exactly the subset of the libsrtp 3 API that mediasoup's
// worker calls, implemented inline on top of libsrtp 2. MKI and cryptex are not
// supported: mediasoup uses neither.
//
// The libsrtp 3 functions are C++ overloads of the libsrtp 2 C functions of
// the same name (they differ in their parameter lists), so the libsrtp 2
// symbols keep their C linkage and the worker links against the unmodified
// system library.

#ifndef CONCERTO_SRTP3_ADAPTER_H
#define CONCERTO_SRTP3_ADAPTER_H

#ifndef __cplusplus
#error "the libsrtp 3 adapter relies on C++ overloading; include it from C++ only"
#endif

// libsrtp 3 reuses the name srtp_policy_t for its opaque handle. Renaming
// libsrtp 2's struct while its header is parsed frees the name. The struct is
// only ever passed by pointer to C functions, so the rename changes no ABI.
#define srtp_policy_t srtp2_policy_t
#include <srtp2/srtp.h>
#undef srtp_policy_t

#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>

// Error codes that libsrtp 3 added after srtp_err_status_pkt_idx_adv (27).
// libsrtp 2 never returns them; the adapter returns buffer_small itself.
inline constexpr srtp_err_status_t srtp_err_status_buffer_small =
  static_cast<srtp_err_status_t>(28);
inline constexpr srtp_err_status_t srtp_err_status_cryptex_err =
  static_cast<srtp_err_status_t>(29);

// State behind the libsrtp 3 policy handle: the libsrtp 2 policy being built
// plus the storage its `key` pointer refers to, so the handle owns everything
// srtp_create() needs.
struct concerto_srtp3_policy
{
	srtp2_policy_t v2;
	// libsrtp 2 reads the master key immediately followed by the master salt.
	unsigned char keyAndSalt[SRTP_MAX_KEY_LEN];
	srtp_profile_t profile;
	bool hasProfile;
	bool hasKey;
};

typedef concerto_srtp3_policy* srtp_policy_t;

namespace concerto_srtp3_detail
{
	// Plain memset() on memory about to be freed may be optimised away; the
	// volatile write keeps master keys from lingering on the heap.
	inline void SecureZero(void* data, size_t len)
	{
		volatile unsigned char* p = static_cast<volatile unsigned char*>(data);

		while (len--)
		{
			*p++ = 0;
		}
	}

	// libsrtp 2 works in place: copy the input into the output buffer (unless
	// the caller already passed the same buffer) after checking that the output
	// has room for the packet plus the largest trailer libsrtp 2 may append.
	// libsrtp 2 uses int lengths, hence the INT_MAX bound.
	inline srtp_err_status_t PrepareInPlace(
	  const uint8_t* in, size_t inLen, uint8_t* out, size_t outCapacity, size_t maxGrowth, int& len)
	{
		if (in == nullptr || out == nullptr || inLen > static_cast<size_t>(INT_MAX) - maxGrowth)
		{
			return srtp_err_status_bad_param;
		}

		if (outCapacity < inLen + maxGrowth)
		{
			return srtp_err_status_buffer_small;
		}

		if (out != in)
		{
			std::memmove(out, in, inLen);
		}

		len = static_cast<int>(inLen);

		return srtp_err_status_ok;
	}
} // namespace concerto_srtp3_detail

/* Policy handle. */

inline srtp_err_status_t srtp_policy_create(srtp_policy_t* policy)
{
	if (policy == nullptr)
	{
		return srtp_err_status_bad_param;
	}

	*policy = new (std::nothrow) concerto_srtp3_policy{};

	return *policy != nullptr ? srtp_err_status_ok : srtp_err_status_alloc_fail;
}

inline void srtp_policy_destroy(srtp_policy_t policy)
{
	if (policy == nullptr)
	{
		return;
	}

	concerto_srtp3_detail::SecureZero(policy->keyAndSalt, sizeof(policy->keyAndSalt));
	delete policy;
}

inline srtp_err_status_t srtp_policy_set_ssrc(srtp_policy_t policy, srtp_ssrc_t ssrc)
{
	if (policy == nullptr)
	{
		return srtp_err_status_bad_param;
	}

	policy->v2.ssrc = ssrc;

	return srtp_err_status_ok;
}

inline srtp_err_status_t srtp_policy_set_profile(srtp_policy_t policy, srtp_profile_t profile)
{
	if (policy == nullptr)
	{
		return srtp_err_status_bad_param;
	}

	srtp_err_status_t err = srtp_crypto_policy_set_from_profile_for_rtp(&policy->v2.rtp, profile);

	if (err == srtp_err_status_ok)
	{
		err = srtp_crypto_policy_set_from_profile_for_rtcp(&policy->v2.rtcp, profile);
	}

	if (err != srtp_err_status_ok)
	{
		return err;
	}

	policy->profile    = profile;
	policy->hasProfile = true;

	return srtp_err_status_ok;
}

// Must follow srtp_policy_set_profile(), as in libsrtp 3, since the profile
// defines the expected key and salt lengths.
inline srtp_err_status_t srtp_policy_add_key(
  srtp_policy_t policy,
  const uint8_t* key,
  size_t keyLen,
  const uint8_t* salt,
  size_t saltLen,
  const uint8_t* mki,
  size_t mkiLen)
{
	if (policy == nullptr || key == nullptr || salt == nullptr || !policy->hasProfile)
	{
		return srtp_err_status_bad_param;
	}

	// Without MKI a policy carries exactly one master key.
	if (mki != nullptr || mkiLen != 0 || policy->hasKey)
	{
		return srtp_err_status_bad_param;
	}

	if (
	  keyLen != srtp_profile_get_master_key_length(policy->profile) ||
	  saltLen != srtp_profile_get_master_salt_length(policy->profile) ||
	  keyLen + saltLen > sizeof(policy->keyAndSalt))
	{
		return srtp_err_status_bad_param;
	}

	std::memcpy(policy->keyAndSalt, key, keyLen);
	std::memcpy(policy->keyAndSalt + keyLen, salt, saltLen);
	policy->hasKey = true;

	return srtp_err_status_ok;
}

inline srtp_err_status_t srtp_policy_set_allow_repeat_tx(srtp_policy_t policy, bool allow)
{
	if (policy == nullptr)
	{
		return srtp_err_status_bad_param;
	}

	policy->v2.allow_repeat_tx = allow ? 1 : 0;

	return srtp_err_status_ok;
}

inline srtp_err_status_t srtp_policy_set_window_size(srtp_policy_t policy, size_t windowSize)
{
	// Same bounds libsrtp 2 enforces in srtp_create(); checking here reports the
	// error from the call that caused it, as libsrtp 3 does.
	if (policy == nullptr || windowSize < 64 || windowSize >= 0x8000)
	{
		return srtp_err_status_bad_param;
	}

	policy->v2.window_size = static_cast<unsigned long>(windowSize);

	return srtp_err_status_ok;
}

/* Session. */

inline srtp_err_status_t srtp_create(srtp_t* session, srtp_policy_t policy)
{
	if (session == nullptr || policy == nullptr || !policy->hasProfile || !policy->hasKey)
	{
		return srtp_err_status_bad_param;
	}

	// libsrtp 2 copies what it needs, so the handle may be destroyed right after.
	policy->v2.key  = policy->keyAndSalt;
	policy->v2.next = nullptr;

	return srtp_create(session, &policy->v2);
}

// libsrtp 2 name; both take the SSRC in network byte order.
inline srtp_err_status_t srtp_stream_remove(srtp_t session, uint32_t ssrc)
{
	return srtp_remove_stream(session, ssrc);
}

/* Packet protection (out-of-place signatures, MKI index ignored). */

namespace concerto_srtp3_detail
{
	// The libsrtp 2 in-place signature shared by srtp_protect(), srtp_unprotect()
	// and their RTCP counterparts.
	using InPlaceFn = srtp_err_status_t (*)(srtp_t, void*, int*);

	// Runs a libsrtp 2 in-place call with the libsrtp 3 out-of-place contract:
	// `*outLen` is the output capacity on entry and the packet length on success.
	inline srtp_err_status_t OutOfPlace(
	  InPlaceFn fn, srtp_t ctx, const uint8_t* in, size_t inLen, uint8_t* out, size_t* outLen, size_t maxGrowth)
	{
		if (outLen == nullptr)
		{
			return srtp_err_status_bad_param;
		}

		int len{ 0 };
		srtp_err_status_t err = PrepareInPlace(in, inLen, out, *outLen, maxGrowth, len);

		if (err != srtp_err_status_ok)
		{
			return err;
		}

		err = fn(ctx, out, &len);

		if (err == srtp_err_status_ok)
		{
			*outLen = static_cast<size_t>(len);
		}

		return err;
	}
} // namespace concerto_srtp3_detail

inline srtp_err_status_t srtp_protect(
  srtp_t ctx, const uint8_t* rtp, size_t rtpLen, uint8_t* srtp, size_t* srtpLen, size_t /*mkiIndex*/)
{
	return concerto_srtp3_detail::OutOfPlace(
	  static_cast<concerto_srtp3_detail::InPlaceFn>(&srtp_protect), ctx, rtp, rtpLen, srtp, srtpLen, SRTP_MAX_TRAILER_LEN);
}

inline srtp_err_status_t srtp_unprotect(
  srtp_t ctx, const uint8_t* srtp, size_t srtpLen, uint8_t* rtp, size_t* rtpLen)
{
	return concerto_srtp3_detail::OutOfPlace(
	  static_cast<concerto_srtp3_detail::InPlaceFn>(&srtp_unprotect), ctx, srtp, srtpLen, rtp, rtpLen, 0);
}

// SRTCP appends a 4-byte E flag + index word besides the trailer.
inline srtp_err_status_t srtp_protect_rtcp(
  srtp_t ctx, const uint8_t* rtcp, size_t rtcpLen, uint8_t* srtcp, size_t* srtcpLen, size_t /*mkiIndex*/)
{
	return concerto_srtp3_detail::OutOfPlace(
	  static_cast<concerto_srtp3_detail::InPlaceFn>(&srtp_protect_rtcp),
	  ctx,
	  rtcp,
	  rtcpLen,
	  srtcp,
	  srtcpLen,
	  SRTP_MAX_TRAILER_LEN + 4);
}

inline srtp_err_status_t srtp_unprotect_rtcp(
  srtp_t ctx, const uint8_t* srtcp, size_t srtcpLen, uint8_t* rtcp, size_t* rtcpLen)
{
	return concerto_srtp3_detail::OutOfPlace(
	  static_cast<concerto_srtp3_detail::InPlaceFn>(&srtp_unprotect_rtcp), ctx, srtcp, srtcpLen, rtcp, rtcpLen, 0);
}

#endif
