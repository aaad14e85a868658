package marketplace

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"testing"
)

// FuzzMultipartBody builds bodies from arbitrary logos, names and types and
// reads them back as the server does: the account part and every logo byte
// must come back, and the announced length must be the real one.
func FuzzMultipartBody(f *testing.F) {
	f.Add([]byte("\x89PNG\r\n\x1a\nrest"), "logo.png", "", `{"name":"Acme"}`)
	f.Add([]byte("<svg/>"), `we"ird\name.svg`, "image/svg+xml", `{}`)
	f.Add([]byte{}, "", "", `{"name":"x"}`)
	f.Add(bytes.Repeat([]byte("--accountkit-"), 100), "a\r\nb", "text/plain", `{"description":"--"}`)
	f.Fuzz(func(t *testing.T, logo []byte, filename, contentType, account string) {
		body, err := newMultipartBody(nil, []byte(account), &Logo{Filename: filename, ContentType: contentType, Content: bytes.NewReader(logo)})
		if err != nil {
			return // an unusable content type, say
		}
		data, err := io.ReadAll(body)
		if err != nil {
			t.Fatal(err)
		}
		if n := body.Len(); n != int64(len(data)) {
			t.Fatalf("announced %d bytes, sent %d", n, len(data))
		}
		_, params, err := mime.ParseMediaType(body.ContentType())
		if err != nil {
			t.Fatal(err)
		}
		mr := multipart.NewReader(bytes.NewReader(data), params["boundary"])
		var gotAccount, gotLogo []byte
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("the body does not parse: %v", err)
			}
			content, _ := io.ReadAll(part)
			switch part.FormName() {
			case "account":
				gotAccount = content
			case "logo":
				gotLogo = content
			}
		}
		if string(gotAccount) != account || !bytes.Equal(gotLogo, logo) {
			t.Fatalf("round trip: account %q logo %d bytes; want %q and %d", gotAccount, len(gotLogo), account, len(logo))
		}
	})
}
