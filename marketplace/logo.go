package marketplace

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
)

// Logo is an account's logo image, sent as the "logo" file part of a
// multipart create or update.
type Logo struct {
	// Filename is the file name sent with the part; "logo" when empty.
	Filename string
	// ContentType is the image's media type (image/png, image/svg+xml, ...).
	// When empty it is sniffed from the first 512 bytes of Content, which
	// are still sent.
	ContentType string
	// Content is read once, as the request is sent, and streamed: it is
	// never held in memory whole. When it is a *bytes.Reader,
	// *strings.Reader, *os.File or another io.Seeker, its size is sent as
	// Content-Length and a failed update can be retried from the start;
	// other readers are sent chunked and not retried.
	Content io.Reader
}

// multipartBody streams an "account" JSON part and a "logo" file part.
// It implements transport.Body.
type multipartBody struct {
	head, tail []byte // framing and the account part; the closing boundary
	logo       io.Reader
	seeker     io.Seeker // logo's source, when it can be rewound
	start      int64     // where the logo starts in seeker
	size       int64     // the logo's length, or -1
	r          io.Reader // what Read reads now
	boundary   string
}

// newMultipartBody lays out the body around logo. It reads at most 512
// bytes of the logo, to sniff its type when none is given.
func newMultipartBody(account []byte, logo *Logo) (*multipartBody, error) {
	if logo.Content == nil {
		return nil, errors.New("logo has no Content")
	}
	b := &multipartBody{logo: logo.Content, size: -1, boundary: randomBoundary()}
	if s, ok := logo.Content.(io.Seeker); ok {
		if start, err := s.Seek(0, io.SeekCurrent); err == nil {
			if end, err := s.Seek(0, io.SeekEnd); err == nil {
				if _, err := s.Seek(start, io.SeekStart); err != nil {
					return nil, fmt.Errorf("logo: %w", err)
				}
				b.seeker, b.start, b.size = s, start, end-start
			}
		}
	}
	contentType := logo.ContentType
	if contentType == "" {
		var err error
		if contentType, err = b.sniff(); err != nil {
			return nil, fmt.Errorf("logo: %w", err)
		}
	}
	contentType, err := cleanMediaType(contentType)
	if err != nil {
		return nil, fmt.Errorf("logo: %w", err)
	}
	filename := escapeQuotes(logo.Filename)
	if filename == "" {
		filename = "logo"
	}

	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if err := w.SetBoundary(b.boundary); err != nil {
		return nil, err
	}
	part, err := w.CreatePart(textproto.MIMEHeader{
		"Content-Disposition": {`form-data; name="account"`},
		"Content-Type":        {"application/json"},
	})
	if err != nil {
		return nil, err
	}
	if _, err := part.Write(account); err != nil {
		return nil, err
	}
	if _, err := w.CreatePart(textproto.MIMEHeader{
		"Content-Disposition": {fmt.Sprintf(`form-data; name="logo"; filename="%s"`, filename)},
		"Content-Type":        {contentType},
	}); err != nil {
		return nil, err
	}
	b.head = bytes.Clone(buf.Bytes())
	buf.Reset()
	if err := w.Close(); err != nil {
		return nil, err
	}
	b.tail = bytes.Clone(buf.Bytes())
	b.r = io.MultiReader(bytes.NewReader(b.head), b.logo, bytes.NewReader(b.tail))
	return b, nil
}

// sniff detects the logo's type from its first 512 bytes and puts them
// back: by seeking when it can, or by reading them again before the rest.
func (b *multipartBody) sniff() (string, error) {
	head := make([]byte, 512)
	n, err := io.ReadFull(b.logo, head)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return "", err
	}
	head = head[:n]
	if b.seeker != nil {
		if _, err := b.seeker.Seek(b.start, io.SeekStart); err != nil {
			return "", err
		}
	} else {
		b.logo = io.MultiReader(bytes.NewReader(head), b.logo)
	}
	return http.DetectContentType(head), nil
}

// ContentType is the body's media type with its boundary.
func (b *multipartBody) ContentType() string {
	return "multipart/form-data; boundary=" + b.boundary
}

func (b *multipartBody) Read(p []byte) (int, error) { return b.r.Read(p) }

// Close does not close the logo: the caller owns it.
func (b *multipartBody) Close() error { return nil }

// Len is the body's length, or -1 when the logo's size is unknown.
func (b *multipartBody) Len() int64 {
	if b.size < 0 {
		return -1
	}
	return int64(len(b.head)) + b.size + int64(len(b.tail))
}

// Rewind gives the body again from the start when the logo can seek.
func (b *multipartBody) Rewind() func() (io.ReadCloser, error) {
	if b.seeker == nil {
		return nil
	}
	return func() (io.ReadCloser, error) {
		if _, err := b.seeker.Seek(b.start, io.SeekStart); err != nil {
			return nil, err
		}
		again := *b
		again.r = io.MultiReader(bytes.NewReader(b.head), io.LimitReader(b.logo, b.size), bytes.NewReader(b.tail))
		return &again, nil
	}
}

func randomBoundary() string {
	var buf [24]byte
	_, _ = rand.Read(buf[:])
	return "accountkit-" + hex.EncodeToString(buf[:])
}

// cleanMediaType parses a media type and writes it back in canonical form,
// so that nothing but a type/subtype and its parameters reaches the part's
// headers.
func cleanMediaType(v string) (string, error) {
	mt, params, err := mime.ParseMediaType(v)
	if err == nil && !strings.Contains(mt, "/") {
		err = errors.New("no subtype")
	}
	if err != nil {
		return "", fmt.Errorf("content type %q is not a media type such as image/png: %w", v, err)
	}
	out := mime.FormatMediaType(mt, params)
	if out == "" {
		return "", fmt.Errorf("content type %q is not a media type such as image/png", v)
	}
	return out, nil
}

// escapeQuotes makes s safe inside a quoted header parameter: it escapes
// quotes and backslashes and drops control characters, which would break
// the part's headers.
func escapeQuotes(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 0x20 || r == 0x7f:
			continue
		case r == '"' || r == '\\':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
