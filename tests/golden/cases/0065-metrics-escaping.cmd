connections --metrics --server=new\"line FX/synthetic/quoted-names.json
