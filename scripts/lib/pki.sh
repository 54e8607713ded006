# shellcheck shell=bash
# The cluster's own certificate authority (openssl, EC P-256): every silo, Gateway and NodeHost gets
# a certificate from it for mutual TLS, and a role credential the CA signs, which silos check on
# every grain call: a Gateway may call anything, a node only its own server grain.

# pki_authority DIR: DIR/ca.key and DIR/ca.pem, made once.
pki_authority() {
  local dir=$1
  mkdir -p "$dir"
  chmod 700 "$dir"
  [ -f "$dir/ca.pem" ] && return 0
  openssl ecparam -name prime256v1 -genkey -noout -out "$dir/ca.key" 2>/dev/null
  openssl req -x509 -new -key "$dir/ca.key" -sha256 -days 3650 -subj "/CN=OrleansWg cluster CA $(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out "$dir/ca.pem" 2>/dev/null
}

# pki_node_authority DIR: DIR/node-ca.key and DIR/node-ca.pem, made once: the node CA, which the CA
# signs and which may sign no CA below it. Only the silos get it: with it they issue the certificates
# of nodes that enroll with a join token (Grains/Servers/NodeCertificateIssuer.cs), so the CA's own
# key stays here.
pki_node_authority() {
  local dir=$1
  # Made again when the CA was: a node CA the CA did not sign is no use.
  [ -f "$dir/node-ca.pem" ] && openssl verify -CAfile "$dir/ca.pem" "$dir/node-ca.pem" >/dev/null 2>&1 && return 0
  pki_signed "$dir" node-ca "/CN=OrleansWg node CA/OU=node-ca" 3650 \
    "$(printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign')"
}

# pki_signed DIR NAME SUBJECT DAYS EXTENSIONS: a new key DIR/NAME.key (mode 600), and DIR/NAME.pem,
# its certificate for SUBJECT that the CA signs for DAYS with the openssl EXTENSIONS (one a line).
pki_signed() {
  local dir=$1 name=$2
  openssl ecparam -name prime256v1 -genkey -noout -out "$dir/$name.key" 2>/dev/null
  chmod 600 "$dir/$name.key"
  openssl req -new -key "$dir/$name.key" -subj "$3" -out "$dir/$name.csr" 2>/dev/null
  openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial -sha256 -days "$4" \
    -extfile <(printf '%s\n' "$5") -out "$dir/$name.pem" 2>/dev/null
  rm -f "$dir/$name.csr"
}

# pki_member DIR NAME ROLE [SERVER_ID]: DIR/NAME.key, DIR/NAME.pem and DIR/NAME.credential, made once
# (and again for a certificate that does not name its role). ROLE is silo, gateway or node: the
# certificate names it as its subject's OU, which every link checks (Hosting/LinkRoles.cs); a
# node's credential names the one server it may act as.
pki_member() {
  local dir=$1 name=$2 role=$3 server=${4:-} payload
  if [ -f "$dir/$name.credential" ] && openssl x509 -noout -subject -nameopt sep_multiline,sname -in "$dir/$name.pem" | grep -qx "    OU=$role"; then
    return 0
  fi
  pki_signed "$dir" "$name" "/CN=$name/OU=$role" 825 \
    "$(printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=DNS:%s' "$name")"
  payload="owg1;role=$role${server:+;server=$server}"
  printf '%s.%s\n' "$(printf '%s' "$payload" | base64url)" \
    "$(printf '%s' "$payload" | openssl dgst -sha256 -sign "$dir/ca.key" | base64url)" >"$dir/$name.credential"
  chmod 600 "$dir/$name.credential"
}

base64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }

# pki_env DIR NAME: the settings, one NAME=VALUE a line, that make a process the cluster member NAME
# of DIR: the CA to trust, its certificate, key and role credential (file names, no secrets); a
# silo's also the node CA's certificate and key.
pki_env() {
  printf '%s\n' "Cluster__Tls__Authority=$1/ca.pem" "Cluster__Tls__Certificate=$1/$2.pem" \
    "Cluster__Tls__Key=$1/$2.key" "Cluster__Tls__Credential=$1/$2.credential"
  if [ "$2" = silo ]; then
    printf '%s\n' "Cluster__Tls__NodeAuthority=$1/node-ca.pem" "Cluster__Tls__NodeAuthorityKey=$1/node-ca.key"
  fi
}

# pki_web DIR ADDRESS...: DIR/web.pem and DIR/web.key, the Gateway's HTTPS certificate for these IP
# addresses, self-signed (clients trust this one certificate: owg --ca DIR/web.pem), made once.
pki_web() {
  local dir=$1 names
  shift
  [ -f "$dir/web.pem" ] && return 0
  names=$(printf 'IP:%s,' "$@")
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$dir/web.key" -sha256 -days 825 \
    -subj "/CN=OrleansWg Gateway" -addext "subjectAltName=${names%,}" -addext "extendedKeyUsage=serverAuth" \
    -out "$dir/web.pem" 2>/dev/null
  chmod 600 "$dir/web.key"
}

# pki_fingerprint FILE: the certificate's SHA-256 fingerprint, as a person compares it.
pki_fingerprint() { openssl x509 -noout -fingerprint -sha256 -in "$1" | cut -d= -f2; }
