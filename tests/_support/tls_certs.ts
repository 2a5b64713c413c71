// Owns the test PKI: generates it once per test module with openssl (EC P-256,
// 3650 days, but for one server certificate that expired in 2020), keeps the
// PEM text in memory, and writes it into the caller's directory on demand.
// Never keeps files of its own after generation.

/** PEM text and file paths of the test certificates, all inside `dir`. */
export interface TlsCerts {
  /** The test CA (PEM): pass it as `caCerts: [caCert]`. */
  caCert: string;
  caCertPath: string;
  /** Server cert signed by the CA, SAN `DNS:localhost, IP:127.0.0.1`. */
  serverCert: string;
  serverCertPath: string;
  serverKey: string;
  serverKeyPath: string;
  /** An unrelated CA (PEM): verifying the server with it fails `UnknownIssuer`. */
  wrongCaCert: string;
  wrongCaCertPath: string;
  /** Cert signed by the right CA but valid only for `DNS:other.example`. */
  otherNameCert: string;
  otherNameCertPath: string;
  otherNameKey: string;
  otherNameKeyPath: string;
  /** Server cert signed by the CA, names as `serverCert`, valid only in January 2020. */
  expiredCert: string;
  expiredCertPath: string;
  expiredKey: string;
  expiredKeyPath: string;
  /** Client cert (extendedKeyUsage clientAuth) signed by the CA: pass as `tls: { cert, key }`. */
  clientCert: string;
  clientKey: string;
  /** The client cert's files: what a server presents on its own outgoing TLS links (replication, cluster bus). */
  clientCertPath: string;
  clientKeyPath: string;
  /** Client cert signed by the unrelated CA: a server trusting the CA refuses it (`UnknownCA`). */
  wrongCaClientCert: string;
  wrongCaClientKey: string;
  /** The directory the files were written to. */
  dir: string;
}

interface Pems {
  caCert: string;
  serverCert: string;
  serverKey: string;
  wrongCaCert: string;
  otherNameCert: string;
  otherNameKey: string;
  expiredCert: string;
  expiredKey: string;
  clientCert: string;
  clientKey: string;
  wrongCaClientCert: string;
  wrongCaClientKey: string;
}

const DAYS = "3650";

// Our own config keeps the result independent of the system openssl.cnf.
const OPENSSL_CONFIG = `
[req]
distinguished_name = dn
prompt = no
[dn]
CN = sleeve
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = DNS:localhost,IP:127.0.0.1
[other_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = DNS:other.example
[client_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
# "openssl ca" (for the expired certificate's fixed dates) needs a database.
[ca]
default_ca = test_ca
[test_ca]
database = DIR/index.txt
new_certs_dir = DIR
serial = DIR/serial
default_md = sha256
policy = any_name
unique_subject = no
[any_name]
commonName = supplied
`;

/** The expired certificate's validity: long past, so clock skew cannot matter. */
const EXPIRED_FROM = "20200101000000Z";
const EXPIRED_UNTIL = "20200201000000Z";

let cache: Promise<Pems> | undefined;

/**
 * Writes the test certificates into `dir` and returns their PEM text and
 * paths. The PKI is generated once per process (one test module) and reused.
 */
export async function makeTlsCerts(dir: string): Promise<TlsCerts> {
  cache ??= generate().catch((error) => {
    cache = undefined;
    throw error;
  });
  const pems = await cache;
  const path = (name: string) => `${dir}/${name}`;
  const certs: TlsCerts = {
    ...pems,
    caCertPath: path("ca.crt"),
    serverCertPath: path("server.crt"),
    serverKeyPath: path("server.key"),
    wrongCaCertPath: path("wrong-ca.crt"),
    otherNameCertPath: path("other-name.crt"),
    otherNameKeyPath: path("other-name.key"),
    expiredCertPath: path("expired.crt"),
    expiredKeyPath: path("expired.key"),
    clientCertPath: path("client.crt"),
    clientKeyPath: path("client.key"),
    dir,
  };
  await Promise.all([
    Deno.writeTextFile(certs.caCertPath, pems.caCert),
    Deno.writeTextFile(certs.serverCertPath, pems.serverCert),
    Deno.writeTextFile(certs.serverKeyPath, pems.serverKey, { mode: 0o600 }),
    Deno.writeTextFile(certs.wrongCaCertPath, pems.wrongCaCert),
    Deno.writeTextFile(certs.otherNameCertPath, pems.otherNameCert),
    Deno.writeTextFile(certs.otherNameKeyPath, pems.otherNameKey, {
      mode: 0o600,
    }),
    Deno.writeTextFile(certs.expiredCertPath, pems.expiredCert),
    Deno.writeTextFile(certs.expiredKeyPath, pems.expiredKey, { mode: 0o600 }),
    Deno.writeTextFile(certs.clientCertPath, pems.clientCert),
    Deno.writeTextFile(certs.clientKeyPath, pems.clientKey, { mode: 0o600 }),
  ]);
  return certs;
}

async function generate(): Promise<Pems> {
  const dir = await Deno.makeTempDir({ prefix: "sleeve-tls-" });
  try {
    const config = `${dir}/openssl.cnf`;
    await Deno.writeTextFile(config, OPENSSL_CONFIG.replaceAll("DIR", dir));
    await Deno.writeTextFile(`${dir}/index.txt`, "");
    await Deno.writeTextFile(`${dir}/serial`, "2001\n");
    const newKey = [
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
    ];
    const selfSigned = (name: string, cn: string) =>
      openssl([
        "req",
        "-x509",
        "-new",
        "-config",
        config,
        "-extensions",
        "ca_ext",
        ...newKey,
        "-keyout",
        `${dir}/${name}.key`,
        "-out",
        `${dir}/${name}.crt`,
        "-subj",
        `/CN=${cn}`,
        "-days",
        DAYS,
      ]);
    const request = (name: string, cn: string) =>
      openssl([
        "req",
        "-new",
        "-config",
        config,
        ...newKey,
        "-keyout",
        `${dir}/${name}.key`,
        "-out",
        `${dir}/${name}.csr`,
        "-subj",
        `/CN=${cn}`,
      ]);
    const leaf = async (
      name: string,
      cn: string,
      extensions: string,
      serial: string,
      ca = "ca",
    ) => {
      await request(name, cn);
      await openssl([
        "x509",
        "-req",
        "-in",
        `${dir}/${name}.csr`,
        "-CA",
        `${dir}/${ca}.crt`,
        "-CAkey",
        `${dir}/${ca}.key`,
        "-set_serial",
        serial,
        "-days",
        DAYS,
        "-extfile",
        config,
        "-extensions",
        extensions,
        "-out",
        `${dir}/${name}.crt`,
      ]);
    };
    await Promise.all([
      selfSigned("ca", "sleeve test CA"),
      selfSigned("wrong-ca", "sleeve unrelated CA"),
    ]);
    // "openssl x509" has no start date: "openssl ca" sets both ends.
    const expired = async () => {
      await request("expired", "localhost");
      await openssl([
        "ca",
        "-batch",
        "-config",
        config,
        "-cert",
        `${dir}/ca.crt`,
        "-keyfile",
        `${dir}/ca.key`,
        "-in",
        `${dir}/expired.csr`,
        "-out",
        `${dir}/expired.crt`,
        "-startdate",
        EXPIRED_FROM,
        "-enddate",
        EXPIRED_UNTIL,
        "-extensions",
        "server_ext",
        "-notext",
      ]);
    };
    await Promise.all([
      leaf("server", "localhost", "server_ext", "0x1001"),
      leaf("other-name", "other.example", "other_ext", "0x1002"),
      leaf("client", "sleeve client", "client_ext", "0x1003"),
      leaf(
        "wrong-ca-client",
        "sleeve client",
        "client_ext",
        "0x1004",
        "wrong-ca",
      ),
      expired(),
    ]);
    const read = (name: string) => Deno.readTextFile(`${dir}/${name}`);
    const [
      caCert,
      serverCert,
      serverKey,
      wrongCaCert,
      otherNameCert,
      otherNameKey,
      expiredCert,
      expiredKey,
      clientCert,
      clientKey,
      wrongCaClientCert,
      wrongCaClientKey,
    ] = await Promise.all([
      read("ca.crt"),
      read("server.crt"),
      read("server.key"),
      read("wrong-ca.crt"),
      read("other-name.crt"),
      read("other-name.key"),
      read("expired.crt"),
      read("expired.key"),
      read("client.crt"),
      read("client.key"),
      read("wrong-ca-client.crt"),
      read("wrong-ca-client.key"),
    ]);
    return {
      caCert,
      serverCert,
      serverKey,
      wrongCaCert,
      otherNameCert,
      otherNameKey,
      expiredCert,
      expiredKey,
      clientCert,
      clientKey,
      wrongCaClientCert,
      wrongCaClientKey,
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function openssl(args: string[]): Promise<void> {
  let output: Deno.CommandOutput;
  try {
    output = await new Deno.Command("openssl", { args, stdin: "null" })
      .output();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Error(
        'openssl is not installed: run "apt-get install -y openssl"',
        {
          cause: error,
        },
      );
    }
    throw error;
  }
  if (!output.success) {
    const stderr = new TextDecoder().decode(output.stderr);
    throw new Error(
      `openssl ${
        args.slice(0, 2).join(" ")
      } failed (${output.code}): ${stderr}`,
    );
  }
}
