#!/usr/bin/env python3
"""Writes the AdmissionReview fixtures of the endpoint tests (run from this directory).

The credential values are random strings made here with a fixed seed: they are not real
credentials, they only have the shape and entropy of one. secrets.txt lists every one of them
for the redaction test.
"""
import base64, copy, json, os, random, string

rnd = random.Random(20261123)
def rand(alphabet, n): return ''.join(rnd.choice(alphabet) for _ in range(n))
B32 = string.ascii_uppercase + '234567'
ALNUM = string.ascii_letters + string.digits
KEYCH = ALNUM + '/+'

KEY_ID = 'AKIA' + rand(B32, 16)
SECRET_KEY = rand(KEYCH, 40)
while not (any(c.isupper() for c in SECRET_KEY) and any(c.islower() for c in SECRET_KEY) and any(c.isdigit() for c in SECRET_KEY)):
    SECRET_KEY = rand(KEYCH, 40)
GITHUB = 'ghp_' + rand(ALNUM, 36)
SLACK = 'xoxb-' + rand(string.digits, 12) + '-' + rand(string.digits, 13) + '-' + rand(ALNUM, 24)
DB_PASSWORD = 'pw-' + rand(ALNUM, 17)
PEM_BODY = '\n'.join(rand(ALNUM + '+/', 64) for _ in range(6))
PEM = '-----BEGIN RSA PRIVATE KEY-----\n' + PEM_BODY + '\n-----END RSA PRIVATE KEY-----\n'
CREDS_FILE = '[default]\naws_access_key_id = ' + KEY_ID + '\naws_secret_access_key = ' + SECRET_KEY + '\n'
SECRETS = [KEY_ID, SECRET_KEY, GITHUB, SLACK, DB_PASSWORD, PEM_BODY.split('\n')[0]]

def meta(name, ns, labels=None):
    m = {'name': name, 'namespace': ns, 'uid': 'obj-' + name}
    if labels: m['labels'] = labels
    return m

def container(name='web', ports=None, env=None, args=None):
    c = {'name': name, 'image': 'registry.example/web:1.0'}
    if ports is not None: c['ports'] = ports
    if env is not None: c['env'] = env
    if args is not None: c['args'] = args
    return c

def template(spec): return {'metadata': {'labels': {'app': 'web'}}, 'spec': spec}

# kind -> (group, version, resource, builder(ns, bad) -> object)
def pod(ns, bad):
    ports = [{'containerPort': 8080, 'protocol': 'TCP'}] + ([{'containerPort': 22, 'protocol': 'TCP'}] if bad else [])
    return {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': meta('web', ns), 'spec': {'containers': [container(ports=ports)]}}

def deployment(ns, bad):
    env = [{'name': 'LOG_LEVEL', 'value': 'info'}]
    if bad:
        env += [{'name': 'AWS_ACCESS_KEY_ID', 'value': KEY_ID}, {'name': 'AWS_SECRET_ACCESS_KEY', 'value': SECRET_KEY}]
    else:
        env += [{'name': 'AWS_SECRET_ACCESS_KEY', 'valueFrom': {'secretKeyRef': {'name': 'aws', 'key': 'secret'}}}]
    return {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': meta('api', ns),
            'spec': {'replicas': 2, 'selector': {'matchLabels': {'app': 'web'}}, 'template': template({'containers': [container('api', env=env)]})}}

def statefulset(ns, bad):
    spec = {'containers': [container('db', ports=[{'containerPort': 5432}])]}
    if bad: spec['hostNetwork'] = True
    return {'apiVersion': 'apps/v1', 'kind': 'StatefulSet', 'metadata': meta('db', ns),
            'spec': {'serviceName': 'db', 'selector': {'matchLabels': {'app': 'web'}}, 'template': template(spec)}}

def daemonset(ns, bad):
    port = {'containerPort': 9100, 'protocol': 'TCP'}
    if bad: port['hostPort'] = 10250
    return {'apiVersion': 'apps/v1', 'kind': 'DaemonSet', 'metadata': meta('node-agent', ns),
            'spec': {'selector': {'matchLabels': {'app': 'web'}}, 'template': template({'containers': [container('agent', ports=[port])]})}}

def replicaset(ns, bad):
    env = [{'name': 'DB_PASSWORD', 'value': DB_PASSWORD}] if bad else [{'name': 'DB_PASSWORD', 'value': ''}, {'name': 'DB_PASSWORD_FILE', 'value': '/etc/db/password'}]
    return {'apiVersion': 'apps/v1', 'kind': 'ReplicaSet', 'metadata': meta('worker', ns),
            'spec': {'selector': {'matchLabels': {'app': 'web'}}, 'template': template({'containers': [container('worker', env=env)]})}}

def replicationcontroller(ns, bad):
    args = ['--listen=:8080'] + (['--github-token=' + GITHUB] if bad else ['--github-token-file=/etc/gh/token'])
    return {'apiVersion': 'v1', 'kind': 'ReplicationController', 'metadata': meta('rc-web', ns),
            'spec': {'replicas': 1, 'selector': {'app': 'web'}, 'template': template({'containers': [container('web', args=args)]})}}

def job(ns, bad):
    init = [container('setup', ports=[{'containerPort': 23 if bad else 2323}])]
    return {'apiVersion': 'batch/v1', 'kind': 'Job', 'metadata': meta('migrate', ns),
            'spec': {'template': template({'restartPolicy': 'Never', 'initContainers': init, 'containers': [container('migrate')]})}}

def cronjob(ns, bad):
    env = [{'name': 'SLACK_WEBHOOK_TOKEN', 'value': SLACK if bad else 'xoxb-your-token-here'}]
    return {'apiVersion': 'batch/v1', 'kind': 'CronJob', 'metadata': meta('report', ns),
            'spec': {'schedule': '0 * * * *', 'jobTemplate': {'spec': {'template': template({'restartPolicy': 'OnFailure', 'containers': [container('report', env=env)]})}}}}

def service(ns, bad):
    return {'apiVersion': 'v1', 'kind': 'Service', 'metadata': meta('web', ns),
            'spec': {'type': 'NodePort' if bad else 'ClusterIP', 'selector': {'app': 'web'}, 'ports': [{'port': 80, 'targetPort': 8080, 'protocol': 'TCP'}]}}

def configmap(ns, bad):
    data = {'app.properties': 'log.level=info\n'}
    binary = {}
    if bad:
        data['tls.key'] = PEM
        binary['credentials'] = base64.b64encode(CREDS_FILE.encode()).decode()
    else:
        data['example.credentials'] = '[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n'
    cm = {'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': meta('app-config', ns), 'data': data}
    if binary: cm['binaryData'] = binary
    return cm

KINDS = {
    'pod': ('', 'v1', 'Pod', 'pods', pod),
    'deployment': ('apps', 'v1', 'Deployment', 'deployments', deployment),
    'statefulset': ('apps', 'v1', 'StatefulSet', 'statefulsets', statefulset),
    'daemonset': ('apps', 'v1', 'DaemonSet', 'daemonsets', daemonset),
    'replicaset': ('apps', 'v1', 'ReplicaSet', 'replicasets', replicaset),
    'replicationcontroller': ('', 'v1', 'ReplicationController', 'replicationcontrollers', replicationcontroller),
    'job': ('batch', 'v1', 'Job', 'jobs', job),
    'cronjob': ('batch', 'v1', 'CronJob', 'cronjobs', cronjob),
    'service': ('', 'v1', 'Service', 'services', service),
    'configmap': ('', 'v1', 'ConfigMap', 'configmaps', configmap),
}

def review(uid, kind, obj, op='CREATE', old=None, ns=None):
    g, v, k, res, _ = KINDS[kind]
    req = {'uid': uid, 'kind': {'group': g, 'version': v, 'kind': k}, 'resource': {'group': g, 'version': v, 'resource': res},
           'requestKind': {'group': g, 'version': v, 'kind': k}, 'name': (obj or old)['metadata']['name'],
           'namespace': ns or (obj or old)['metadata']['namespace'], 'operation': op,
           'userInfo': {'username': 'alice', 'groups': ['system:authenticated']}, 'object': obj, 'oldObject': old, 'dryRun': False,
           'options': {'apiVersion': 'meta.k8s.io/v1', 'kind': 'CreateOptions' if op == 'CREATE' else 'UpdateOptions'}}
    return {'apiVersion': 'admission.k8s.io/v1', 'kind': 'AdmissionReview', 'request': req}

def write(path, doc):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        json.dump(doc, f, indent=2)
        f.write('\n')

CASES = {'allowed': ('prod', False), 'denied': ('prod', True), 'warned': ('staging', True), 'audited': ('sandbox', True)}
for kind, (_, _, _, _, build) in KINDS.items():
    for case, (ns, bad) in CASES.items():
        write(f'{kind}/{case}.json', review(f'uid-{kind}-{case}', kind, build(ns, bad)))

# Special cases.
write('special/exempt-kube-system.json', review('uid-kube-system', 'pod', pod('kube-system', True)))
write('special/exempt-own-namespace.json', review('uid-own-ns', 'pod', pod('parapet-system', True)))
write('special/excluded-namespace.json', review('uid-excluded', 'pod', pod('monitoring', True)))
exc = pod('prod', True); exc['metadata']['name'] = 'legacy-ssh'
write('special/exception-active.json', review('uid-exception', 'pod', exc))
exp = pod('prod', True); exp['metadata']['name'] = 'old-ssh'
write('special/exception-expired.json', review('uid-expired', 'pod', exp))
write('special/update-preexisting.json', review('uid-update-pre', 'pod', pod('prod', True), op='UPDATE', old=pod('prod', True)))
write('special/update-new-violation.json', review('uid-update-new', 'pod', pod('prod', True), op='UPDATE', old=pod('prod', False)))
write('special/update-preexisting-block.json', review('uid-update-block', 'pod', pod('strict', True), op='UPDATE', old=pod('strict', True)))
write('special/delete.json', review('uid-delete', 'pod', None, op='DELETE', old=pod('prod', True), ns='prod'))
nullc = pod('prod', False); nullc['spec']['containers'] = None
write('special/null-containers.json', review('uid-null-containers', 'pod', nullc))
unk = review('uid-unknown-kind', 'pod', pod('prod', True)); unk['request']['kind'] = {'group': 'example.com', 'version': 'v1', 'kind': 'Widget'}
write('special/unknown-kind.json', unk)
wrong = review('uid-wrong-version', 'pod', pod('prod', True)); wrong['apiVersion'] = 'admission.k8s.io/v1beta1'
write('special/wrong-api-version.json', wrong)
write('special/missing-request.json', {'apiVersion': 'admission.k8s.io/v1', 'kind': 'AdmissionReview'})
with open('special/malformed.json', 'w') as f:
    f.write('{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"x","object":{"env":"' + KEY_ID + '"\n')
badtype = review('uid-bad-type', 'pod', pod('prod', False)); badtype['request']['object']['spec']['containers'] = 'not-a-list'
write('special/wrong-object-type.json', badtype)
multi = deployment('prod', True)
multi['spec']['template']['spec']['containers'][0]['ports'] = [{'containerPort': p} for p in (22, 23, 2375, 2376, 3389, 10250)]
write('special/many-violations.json', review('uid-many', 'deployment', multi))

with open('secrets.txt', 'w') as f:
    f.write('# Every random credential-shaped value in these fixtures (see generate.py); none may ever be echoed.\n')
    for s in SECRETS: f.write(s + '\n')
