// Command relay copies bytes between each client connection and a
// connection of its own to a PostgreSQL server, doing no protocol work at
// all. test/bench/pgbench runs the same lookups through it as through
// Junction: its throughput is what any Go process in between the client
// and the server reaches on the machine, the floor of Junction's cost
// over going direct, which the network path sets and no query work.
//
//	relay -listen 127.0.0.1:15498 -server 127.0.0.1:5432
package main

import (
	"flag"
	"io"
	"log"
	"net"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:15498", "address to accept clients on")
	server := flag.String("server", "127.0.0.1:5432", "PostgreSQL server to relay to")
	flag.Parse()
	l, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	for {
		client, err := l.Accept()
		if err != nil {
			log.Fatal(err)
		}
		go relay(client, *server)
	}
}

// relay copies client's bytes to a new connection to server and back,
// until either side closes.
func relay(client net.Conn, server string) {
	defer client.Close()
	upstream, err := net.Dial("tcp", server)
	if err != nil {
		log.Print(err)
		return
	}
	defer upstream.Close()
	go func() {
		io.Copy(upstream, client) //nolint:errcheck // either side closing ends the relay
		upstream.Close()
	}()
	io.Copy(client, upstream) //nolint:errcheck // as above
}
