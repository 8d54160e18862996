package approval

import (
	"bytes"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"

	"github.com/smallstep/pkcs7"
)

// The CMS structures (RFC 5652 §5) as far as checkDER needs them. The
// pkcs7 package converts BER to DER and re-encodes signed attributes before
// it checks them, so it accepts many encodings of one signature, and it
// never looks at the version numbers, the digestAlgorithms set or the
// eContentType. checkDER closes that gap: a signature file is accepted only
// in the one DER form Sign writes, so changing any of its bytes breaks it.
type cmsContentInfo struct {
	ContentType asn1.ObjectIdentifier
	Content     asn1.RawValue `asn1:"tag:0"` // [0] EXPLICIT, unwrapped by hand
}

type cmsSignedData struct {
	Version          int
	DigestAlgorithms []pkix.AlgorithmIdentifier `asn1:"set"`
	EncapContentInfo cmsEncapContentInfo
	Certificates     []asn1.RawValue `asn1:"optional,omitempty,tag:0"`
	CRLs             []asn1.RawValue `asn1:"optional,omitempty,tag:1"`
	SignerInfos      []cmsSignerInfo `asn1:"set"`
}

type cmsEncapContentInfo struct {
	EContentType asn1.ObjectIdentifier
	EContent     asn1.RawValue `asn1:"optional,tag:0"`
}

type cmsSignerInfo struct {
	Version            int
	SID                asn1.RawValue // issuerAndSerialNumber
	DigestAlgorithm    pkix.AlgorithmIdentifier
	SignedAttrs        []cmsAttribute `asn1:"optional,omitempty,tag:0"`
	SignatureAlgorithm pkix.AlgorithmIdentifier
	Signature          []byte
	UnsignedAttrs      []cmsAttribute `asn1:"optional,omitempty,tag:1"`
}

type cmsAttribute struct {
	Type   asn1.ObjectIdentifier
	Values asn1.RawValue
}

// checkDER reads der strictly (encoding/asn1 refuses BER and non-minimal
// lengths), writes it back and requires the same bytes — which also catches
// extra elements, since encoding/asn1 skips those when reading — and checks
// the unsigned fields against what Sign writes: versions 1 (signer named
// by issuer and serial), one digest algorithm, the signer's, detached
// id-data content, exactly one signer with signed attributes.
func checkDER(der []byte) (*cmsSignedData, error) {
	var ci cmsContentInfo
	rest, err := asn1.Unmarshal(der, &ci)
	if err != nil {
		return nil, err
	}
	if len(rest) > 0 {
		return nil, errors.New("trailing data after the ContentInfo")
	}
	if !ci.ContentType.Equal(pkcs7.OIDSignedData) {
		return nil, fmt.Errorf("content type %v is not signedData", ci.ContentType)
	}
	var sd cmsSignedData
	if rest, err = asn1.Unmarshal(ci.Content.Bytes, &sd); err != nil {
		return nil, err
	}
	if len(rest) > 0 {
		return nil, errors.New("trailing data after the SignedData")
	}
	again, err := asn1.Marshal(sd)
	if err == nil {
		again, err = asn1.Marshal(cmsContentInfo{ContentType: ci.ContentType,
			Content: asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: again}})
	}
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(again, der) {
		return nil, errors.New("not in DER form, or carries elements CMS does not define")
	}
	for _, c := range sd.Certificates {
		if _, err := x509.ParseCertificate(c.FullBytes); err != nil {
			return nil, err
		}
	}
	switch {
	case sd.Version != 1:
		return nil, fmt.Errorf("SignedData version %d, want 1", sd.Version)
	case len(sd.SignerInfos) != 1:
		return nil, fmt.Errorf("%d signers, want 1", len(sd.SignerInfos))
	case !sd.EncapContentInfo.EContentType.Equal(pkcs7.OIDData):
		return nil, fmt.Errorf("eContentType %v is not id-data", sd.EncapContentInfo.EContentType)
	case len(sd.EncapContentInfo.EContent.FullBytes) > 0:
		return nil, errors.New("content is attached; a detached signature is expected")
	}
	si := sd.SignerInfos[0]
	switch {
	case si.Version != 1:
		return nil, fmt.Errorf("SignerInfo version %d, want 1", si.Version)
	case len(si.SignedAttrs) == 0:
		return nil, errors.New("no signed attributes")
	case len(sd.DigestAlgorithms) != 1 || !sd.DigestAlgorithms[0].Algorithm.Equal(si.DigestAlgorithm.Algorithm):
		return nil, errors.New("digestAlgorithms does not name the signer's digest algorithm alone")
	}
	return &sd, nil
}

// signedBytes is what the signature covers (RFC 5652 §5.4): the signed
// attributes with their [0] tag replaced by the SET tag.
func (si *cmsSignerInfo) signedBytes() ([]byte, error) {
	var body []byte
	for _, a := range si.SignedAttrs {
		b, err := asn1.Marshal(a)
		if err != nil {
			return nil, err
		}
		body = append(body, b...)
	}
	return asn1.Marshal(asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true, Bytes: body})
}
