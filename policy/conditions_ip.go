package policy

import (
	"net/netip"
	"strings"
)

// parseCIDR reads an IpAddress/NotIpAddress policy value: an IPv4 or IPv6
// CIDR block, or a bare address meaning /32 or /128. IPv4-mapped IPv6
// addresses are reduced to IPv4 so that both spellings of one address agree.
func parseCIDR(s string) (netip.Prefix, bool) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, false
		}
		if a := p.Addr(); a.Is4In6() && p.Bits() >= 96 {
			p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
		}
		return p.Masked(), true
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, false
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), true
}

// matchIP implements IpAddress (and, negated, NotIpAddress): the request
// address lies in one of the policy's blocks. A request value that is not an
// address matches no block.
func matchIP(policy []netip.Prefix, v string) bool {
	a, err := netip.ParseAddr(strings.TrimSpace(v))
	if err != nil {
		return false
	}
	a = a.Unmap().WithZone("")
	for _, p := range policy {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
