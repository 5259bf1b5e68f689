package server_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/server"
)

func TestRoutesServeUnderCairnOnly(t *testing.T) {
	s := server.New(server.Config{Clock: cairn.SystemClock{}, Routes: map[string]http.Handler{
		"GET /_cairn/hello": http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "hi") }),
	}})
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	res, err := http.Get(ts.URL + "/_cairn/hello")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || string(body) != "hi" {
		t.Fatalf("GET /_cairn/hello = %d %q", res.StatusCode, body)
	}

	defer func() {
		if recover() == nil {
			t.Fatal("a route outside /_cairn/ was accepted")
		}
	}()
	server.New(server.Config{Clock: cairn.SystemClock{}, Routes: map[string]http.Handler{"GET /": http.NotFoundHandler()}})
}
